import { pathWord, singleQuote } from "./shellQuote.ts";

// A delimiter that is no line of the content, so the here-document cannot end early.
const delimiterFor = (content: string): string => {
  const lines = new Set(content.split("\n"));
  let delimiter = "OCISTAGE_EOF";
  for (let n = 1; lines.has(delimiter); n++) delimiter = `OCISTAGE_EOF_${n}`;
  return delimiter;
};

// The commands that write inline content to `$root/destination`, exactly: text ending in a
// newline as a quoted here-document (readable, and the shell adds nothing), anything else
// with printf '%s' (no trailing newline added); NUL bytes, which no shell string can hold,
// with printf '\000'.
export const writeContentCommands = (destination: string, content: string): string => {
  const target = pathWord("root", destination);
  if (content.endsWith("\n") && !content.includes("\u0000")) {
    const delimiter = delimiterFor(content);
    return `write_file ${target} <<'${delimiter}'\n${content}${delimiter}`;
  }
  if (!content.includes("\u0000")) return `write_text ${target} ${singleQuote(content)}`;
  const pieces = content.split("\u0000");
  return [
    `write_text ${target} ${singleQuote(pieces[0] ?? "")}`,
    ...pieces.slice(1).map((piece) => `printf '\\000%s' ${singleQuote(piece)} >> ${target}`),
  ].join("\n");
};
