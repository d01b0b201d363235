import type { Program, ProgramGraph, ProgramNode } from "@ocistage/program";
import { programGraph } from "@ocistage/program";
import { OPERATION_GROUPS, operationGroup } from "./operationGroup.ts";

// Mermaid node ids: letters, digits and underscores only, prefixed by the node's kind (so no
// id is a keyword such as `end`), and made unique with a numeric suffix when two names
// differ only in punctuation.
const mermaidIds = (graph: ProgramGraph): ReadonlyMap<string, string> => {
  const prefix: Readonly<Record<ProgramNode["_tag"], string>> = { ToolNode: "tool", OperationNode: "op", OutputNode: "out" };
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of graph.nodes()) {
    const node = graph.node(id);
    const name = id.slice(id.indexOf(":") + 1);
    const base = `${prefix[node._tag]}_${name.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "")}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
    taken.add(candidate);
    ids.set(id, candidate);
  }
  return ids;
};

// A quoted Mermaid label: quotes and angle brackets become entity codes, lines are joined.
const mermaidLabel = (text: string): string =>
  `"${text.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/\r?\n/g, " ")}"`;

const shape = (node: ProgramNode): string => {
  switch (node._tag) {
    case "ToolNode":
      return `{{${mermaidLabel(`${node.tool.name} (${node.tool.package})`)}}}`;
    case "OperationNode":
      return `[${mermaidLabel(node.step.name)}]`;
    case "OutputNode":
      return `[(${mermaidLabel(node.artifact)})]`;
  }
};

const CLASS_STYLES: Readonly<Record<string, string>> = {
  tool: "fill:#ede7f6,stroke:#5e35b1",
  output: "fill:#ffffff,stroke:#999999",
  layer: "fill:#dff0d8,stroke:#3c763d",
  metadata: "fill:#fcf8e3,stroke:#8a6d3b",
  layout: "fill:#d9edf7,stroke:#31708f",
  housekeeping: "fill:#f5f5f5,stroke:#777777",
};

const nodeClass = (node: ProgramNode): string => {
  switch (node._tag) {
    case "ToolNode":
      return "tool";
    case "OperationNode":
      return operationGroup(node.step);
    case "OutputNode":
      return "output";
  }
};

// `ocistage graph --format mermaid`: a `flowchart` GitHub renders in Markdown.
export const graphMermaidOf = (graph: ProgramGraph): string => {
  const ids = mermaidIds(graph);
  const id = (node: string): string => ids.get(node) ?? "missing";
  const classes = new Map<string, string[]>();
  for (const node of graph.nodes()) {
    const name = nodeClass(graph.node(node));
    const members = classes.get(name);
    if (members === undefined) classes.set(name, [id(node)]);
    else members.push(id(node));
  }
  const used = ["tool", ...OPERATION_GROUPS, "output"].filter((name) => classes.has(name));
  return [
    "flowchart LR",
    ...graph.nodes().map((node) => `  ${id(node)}${shape(graph.node(node))}`),
    ...graph.edges().map((edge) => `  ${id(edge.v)} -->|${graph.edge(edge).kind}| ${id(edge.w)}`),
    ...used.map((name) => `  classDef ${name} ${CLASS_STYLES[name] ?? ""}`),
    ...used.map((name) => `  class ${(classes.get(name) ?? []).join(",")} ${name}`),
  ].join("\n");
};

export const graphMermaid = (program: Program): string => graphMermaidOf(programGraph(program));
