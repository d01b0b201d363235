// Small Markdown helpers the docs page and the markdown plan share. Every user value goes
// through one of them, so no name, label or command can break the page's structure.

const longestRun = (text: string, char: string): number => {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
};

// `text` as inline code, with a backtick run longer than any inside it.
export const inlineCode = (text: string): string => {
  const ticks = "`".repeat(longestRun(text, "`") + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || text === "" ? " " : "";
  return `${ticks}${pad}${text}${pad}${ticks}`;
};

// A fenced code block whose fence is longer than any backtick run in the text.
export const fence = (language: string, text: string): string => {
  const ticks = "`".repeat(Math.max(3, longestRun(text, "`") + 1));
  return `${ticks}${language}\n${text.endsWith("\n") ? text : `${text}\n`}${ticks}`;
};

export const bullets = (lines: readonly string[]): string => lines.map((line) => `- ${line}`).join("\n");

// A table cell: one line, pipes escaped.
export const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`, ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`)].join("\n");

// A section: a heading and its body, separated as Markdown wants.
export const section = (level: number, title: string, body: string): string => `${"#".repeat(level)} ${title}\n\n${body}`;
