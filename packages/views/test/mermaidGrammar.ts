// A small grammar of the Mermaid flowchart subset the graph view writes, checked line by line:
// the header, node declarations (safe ids, quoted labels without raw quotes or angle brackets),
// edges between declared nodes, class definitions and class assignments of declared nodes.
// It is stricter than Mermaid itself, so what passes here parses there.
const ID = "[A-Za-z][A-Za-z0-9_]*";
const LABEL = '"[^"<>]*"';
const HEADER = /^flowchart (LR|TD|TB|RL|BT)$/;
const NODE = new RegExp(`^  (${ID})(\\{\\{${LABEL}\\}\\}|\\[${LABEL}\\]|\\[\\(${LABEL}\\)\\])$`);
const EDGE = new RegExp(`^  (${ID}) -->\\|([a-z][a-z-]*)\\| (${ID})$`);
const CLASS_DEF = /^ {2}classDef ([a-z]+) ([a-z-]+:#[0-9a-f]{6})(,[a-z-]+:#[0-9a-f]{6})*$/;
const CLASS = new RegExp(`^  class (${ID}(?:,${ID})*) ([a-z]+)$`);

// Words Mermaid's flowchart lexer reads as keywords; none may be a node id.
const KEYWORDS = new Set(["end", "graph", "flowchart", "subgraph", "style", "class", "classDef", "click", "linkStyle", "direction", "call", "href", "default"]);

export const checkMermaidFlowchart = (text: string): readonly string[] => {
  const problems: string[] = [];
  const nodes = new Set<string>();
  const classes = new Set<string>();
  const lines = text.split("\n");
  if (!HEADER.test(lines[0] ?? "")) problems.push(`line 1: expected a flowchart header, found ${JSON.stringify(lines[0])}`);
  lines.slice(1).forEach((line, i) => {
    const at = `line ${i + 2}`;
    const node = NODE.exec(line);
    const edge = EDGE.exec(line);
    const classDef = CLASS_DEF.exec(line);
    const klass = CLASS.exec(line);
    if (node !== null) {
      const id = node[1] ?? "";
      if (KEYWORDS.has(id)) problems.push(`${at}: node id ${id} is a Mermaid keyword`);
      if (nodes.has(id)) problems.push(`${at}: node id ${id} is declared twice`);
      nodes.add(id);
    } else if (edge !== null) {
      for (const id of [edge[1] ?? "", edge[3] ?? ""]) if (!nodes.has(id)) problems.push(`${at}: edge to undeclared node ${id}`);
    } else if (classDef !== null) classes.add(classDef[1] ?? "");
    else if (klass !== null) {
      for (const id of (klass[1] ?? "").split(",")) if (!nodes.has(id)) problems.push(`${at}: class on undeclared node ${id}`);
      if (!classes.has(klass[2] ?? "")) problems.push(`${at}: class ${klass[2] ?? ""} is not defined`);
    } else problems.push(`${at}: not a flowchart line: ${JSON.stringify(line)}`);
  });
  return problems;
};
