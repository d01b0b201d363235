import type { ExcludeRule } from "@ocistage/program";
import { ANY_NAMES } from "@ocistage/program";
import { commentText, shellQuote } from "./shellQuote.ts";

// A rule's segments cut at its "**"s: chunks of K names, each matched whole by the chunk's globs
// joined by "/" (path_matches in copyHelpers.ts). [a, **, b, c, **] → (1 a) (2 b/c) (0 "").
export const ruleChunks = (segments: readonly string[]): readonly { readonly names: number; readonly glob: string }[] => {
  const chunks: string[][] = [[]];
  for (const segment of segments) {
    if (segment === ANY_NAMES) chunks.push([]);
    else chunks[chunks.length - 1]?.push(segment);
  }
  return chunks.map((c) => ({ names: c.length, glob: c.join("/") }));
};

// The shell function `copy_excluded REL DISK` for one copy's rules: true when the path REL inside
// the copied folder (DISK on disk) is left out. The rules are tried last first, so the first that
// matches is the one that decides, as in the build (excludeMatcher.ts).
export const excludeFunction = (rules: readonly ExcludeRule[], at: string): string => {
  const tests = [...rules].reverse().map((rule) => {
    const words = ruleChunks(rule.segments).flatMap((c) => [String(c.names), c.glob === "" ? "''" : shellQuote(c.glob)]);
    const test = `path_matches "$1" ${words.join(" ")}`;
    return `  if ${rule.folderOnly ? `is_dir "$2" && ` : ""}${test}; then return ${rule.negated ? 1 : 0}; fi`;
  });
  return [
    `# what ${commentText(at)} leaves out: ${commentText(rules.map((r) => JSON.stringify(r.pattern)).join(", "))}`,
    "# shellcheck disable=SC2317 # list_kept calls it by the name copy_in is given",
    "copy_excluded() {",
    ...tests,
    "  return 1",
    "}",
  ].join("\n");
};
