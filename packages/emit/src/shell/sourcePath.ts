import { pathWord, shellQuote } from "./shellQuote.ts";

// A source path the way the build resolves it (path.resolve(sourceRoot, source)): segments
// normalised lexically, relative paths below the source root, absolute ones as they are.
const normaliseSegments = (path: string, absolute: boolean): string => {
  const kept: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." && (absolute || (kept.length > 0 && kept[kept.length - 1] !== ".."))) kept.pop();
    else kept.push(segment);
  }
  return kept.join("/");
};

export const isRelativeSource = (source: string): boolean => !source.startsWith("/");

// The script's word for a source: "$src/rel" (SOURCE_ROOT) or '/abs/path'.
export const sourceWord = (source: string): string =>
  isRelativeSource(source) ? pathWord("src", normaliseSegments(source, false)) : shellQuote(`/${normaliseSegments(source, true)}`);

// The word for `relative` inside a source (for checks on what a copied folder supplies).
export const sourceChildWord = (source: string, relative: string): string =>
  isRelativeSource(source)
    ? pathWord("src", [normaliseSegments(source, false), relative].filter((s) => s !== "").join("/"))
    : shellQuote(`/${[normaliseSegments(source, true), relative].filter((s) => s !== "").join("/")}`);
