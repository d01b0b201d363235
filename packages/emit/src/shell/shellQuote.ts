// Words of the emitted script. Everything that comes from the spec goes through here, so no
// name, target or text can ever be read by the shell as syntax.

// Characters that mean nothing to sh in any position of a word (no globbing, no expansion,
// no tilde, no assignment at the start, no option dash at the start).
const BARE = /^[A-Za-z0-9_./+@%:,][A-Za-z0-9_./+@%:,=-]*$/;

// Characters that mean nothing inside "…" either (so "$root/etc/passwd" stays readable).
const PLAIN_IN_DOUBLE_QUOTES = /^[A-Za-z0-9_./+@%:,= -]*$/;

// Single quotes keep every byte literal but the quote itself, which closes, is escaped, and
// reopens. "$" and "`" are escaped outside the quotes too, only so that shellcheck (SC2016)
// does not take them for expansions the author forgot: 'dollar'\$'HOME' is the word dollar$HOME.
export const singleQuote = (value: string): string => {
  const runs = value.split(/(['$`])/);
  const words = runs.map((run, i) => (i % 2 === 1 ? `\\${run}` : run === "" ? "" : `'${run}'`));
  const joined = words.join("");
  return joined === "" ? "''" : joined;
};

// One shell word that is exactly `value`: bare when that is safe, single-quoted otherwise.
export const shellQuote = (value: string): string => (BARE.test(value) ? value : singleQuote(value));

// The word for `$variable/relative`, e.g. "$root/bin/sh" or "$root"/'it'\''s'. `relative` ""
// is the folder itself.
export const pathWord = (variable: string, relative: string): string =>
  relative === ""
    ? `"$${variable}"`
    : PLAIN_IN_DOUBLE_QUOTES.test(relative)
      ? `"$${variable}/${relative}"`
      : `"$${variable}"/${singleQuote(relative)}`;

// The word for `$variable` followed by `suffix` with no "/" between, e.g. "$out.image.oci.tar.tmp".
export const suffixWord = (variable: string, suffix: string): string =>
  PLAIN_IN_DOUBLE_QUOTES.test(suffix) ? `"\${${variable}}${suffix}"` : `"$${variable}"${singleQuote(suffix)}`;

// A comment line: whatever the spec says, it cannot end the comment early.
export const commentText = (text: string): string => text.replace(/[\r\n]+/g, " ");
