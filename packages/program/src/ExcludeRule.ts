// One `exclude` pattern of a copy, parsed once by lowering so that every interpreter matches it
// the same way (the build in TypeScript, the shell script with `case`). The language is
// gitignore's, for paths inside the copied folder:
// - `segments` are the pattern's names, each a glob for exactly one name: `*` (any run of
//   characters), `?` (one), `[…]`/`[!…]` (one of / none of a set, ranges `a-z` by byte value) and
//   literal characters (a literal `*`, `?` or `[` is written as `[*]`, `[?]`, `[[]`), or "**" for
//   any number of names (zero or more; one or more when it is the last segment);
// - a pattern with no "/" but a trailing one matches a name at any depth (lowering puts "**" first);
//   any other is anchored at the copied folder;
// - `folderOnly` (a trailing "/") matches folders only; `negated` (a leading "!") puts back what an
//   earlier pattern left out. The last pattern that matches a path decides; a folder left out takes
//   everything below it (nothing inside it is looked at, as in git).
// Names and globs are compared byte by byte, as `LC_ALL=C` shells and git do.
export interface ExcludeRule {
  readonly pattern: string; // as the spec wrote it, for messages and views
  readonly negated: boolean;
  readonly folderOnly: boolean;
  readonly segments: readonly string[];
}

// The segment that stands for any number of names.
export const ANY_NAMES = "**";
