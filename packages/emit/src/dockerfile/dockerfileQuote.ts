// How values are written into Dockerfile instructions so that Docker (BuildKit and the classic
// builder) and buildah read back exactly the value, not a variable expansion of it.
//
// - JSON form (ENTRYPOINT, CMD): the array is decoded as JSON and nothing else, so JSON.stringify
//   is exact for every string, newlines included.
// - Instructions that expand variables (ENV, LABEL, USER, WORKDIR, STOPSIGNAL, VOLUME, EXPOSE) run
//   each word through the shell-like lexer: inside double quotes a backslash escapes only `\`, `"`
//   and `$`; outside quotes it escapes any character. VOLUME's JSON form is lexed too, after the
//   JSON is decoded.
// - A line break cannot be written in any of those: the parser splits lines before anything else
//   (and `\` at the end of a line continues it), so such values are refused (`lineBreakProblem`).

const BARE = /^[A-Za-z0-9_.\-/:+@]+$/;

// "…" with the lexer's three escapes; exact for any value without a line break.
export const doubleQuoted = (value: string): string => `"${value.replace(/[\\"$]/g, "\\$&")}"`;

// A word as it reads best: bare when the lexer would leave it alone, else double-quoted.
export const lexerWord = (value: string): string => (BARE.test(value) ? value : doubleQuoted(value));

// ["a", "b"] for ENTRYPOINT and CMD.
export const jsonArgs = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;

// VOLUME's JSON form: each string escaped for the lexer first, then for JSON.
export const lexedJsonArgs = (values: readonly string[]): string => jsonArgs(values.map((v) => v.replace(/[\\$"']/g, "\\$&")));

export const lineBreakProblem = (value: string, what: string): string | undefined =>
  /[\n\r]/.test(value) ? `${what} has a line break, which no Dockerfile instruction but the JSON forms of ENTRYPOINT and CMD can hold` : undefined;
