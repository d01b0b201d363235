import type { ExcludeRule } from "@ocistage/program";
import { ANY_NAMES } from "@ocistage/program";

// The build's reading of a copy's `exclude` rules (ExcludeRule.ts), over paths as the tree keys
// them: raw bytes held as latin1 strings, so globs compare byte by byte as an `LC_ALL=C` shell
// and git do. The shell script matches the same rules with `case` (emit's excludeCommands.ts).

type Segment = RegExp | typeof ANY_NAMES;

interface CompiledRule {
  readonly negated: boolean;
  readonly folderOnly: boolean;
  readonly segments: readonly Segment[];
}

const byte = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;

// A canonical glob (one name: `*`, `?`, `[…]`, `[!…]`, literals) → an anchored RegExp.
export const globRegExp = (glob: string): RegExp => {
  const b = Buffer.from(glob, "utf8").toString("latin1");
  let source = "";
  for (let i = 0; i < b.length; ) {
    const c = b[i] as string;
    if (c === "*") {
      source += "[\\s\\S]*";
      i++;
    } else if (c === "?") {
      source += "[\\s\\S]";
      i++;
    } else if (c === "[") {
      let j = i + 1;
      const negated = b[j] === "!";
      if (negated) j++;
      let set = "";
      for (let first = true; j < b.length && (first || b[j] !== "]"); first = false) {
        const from = b[j] as string;
        if (b[j + 1] === "-" && j + 2 < b.length && b[j + 2] !== "]") {
          set += `${byte(from)}-${byte(b[j + 2] as string)}`;
          j += 3;
        } else {
          set += byte(from);
          j++;
        }
      }
      source += `[${negated ? "^" : ""}${set}]`;
      i = j + 1;
    } else {
      source += byte(c);
      i++;
    }
  }
  return new RegExp(`^${source}$`);
};

const compile = (rule: ExcludeRule): CompiledRule => ({
  negated: rule.negated,
  folderOnly: rule.folderOnly,
  segments: rule.segments.map((s) => (s === ANY_NAMES ? ANY_NAMES : globRegExp(s))),
});

// Do the names match the segments? "**" takes any number of names, at least one when it is last.
const matches = (segments: readonly Segment[], names: readonly string[]): boolean => {
  const failed = new Set<number>(); // p * (names + 1) + n positions known not to match
  const at = (p: number, n: number): boolean => {
    if (p === segments.length) return n === names.length;
    const key = p * (names.length + 1) + n;
    if (failed.has(key)) return false;
    const segment = segments[p] as Segment;
    let ok: boolean;
    if (segment === ANY_NAMES) {
      if (p === segments.length - 1) ok = names.length - n >= 1;
      else {
        ok = false;
        for (let k = n; k <= names.length && !ok; k++) ok = at(p + 1, k);
      }
    } else ok = n < names.length && segment.test(names[n] as string) && at(p + 1, n + 1);
    if (!ok) failed.add(key);
    return ok;
  };
  return at(0, 0);
};

// Is the path (names below the copied folder, latin1) left out? The last rule that matches it
// decides; a folder-only rule matches folders only. Whether a folder above it was left out is the
// walker's business: it does not look inside one.
export type Excluded = (names: readonly string[], isFolder: boolean) => boolean;

export const excludeMatcher = (rules: readonly ExcludeRule[]): Excluded | undefined => {
  if (rules.length === 0) return undefined;
  const compiled = rules.map(compile).reverse();
  return (names, isFolder) => {
    for (const rule of compiled) if ((!rule.folderOnly || isFolder) && matches(rule.segments, names)) return !rule.negated;
    return false;
  };
};
