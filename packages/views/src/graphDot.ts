import type { Program, ProgramNode } from "@ocistage/program";
import { programGraph } from "@ocistage/program";
import type { OperationGroup } from "./operationGroup.ts";
import { operationGroup } from "./operationGroup.ts";

// A DOT string literal: backslashes and quotes escaped, so no name can end the string early
// or be read as a DOT escape (\N, \l, …).
const dotString = (text: string): string => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;

// A label of several lines: each line escaped, joined with DOT's line break.
const dotLabel = (lines: readonly string[]): string => `"${lines.map((line) => dotString(line).slice(1, -1)).join("\\n")}"`;

const FILL: Readonly<Record<OperationGroup, string>> = {
  layer: "#dff0d8",
  metadata: "#fcf8e3",
  layout: "#d9edf7",
  housekeeping: "#f5f5f5",
};

const nodeStatement = (node: ProgramNode): string => {
  switch (node._tag) {
    case "ToolNode":
      return `${dotString(node.id)} [label=${dotLabel([node.tool.name, `package ${node.tool.package}`])}, shape=hexagon, fillcolor="#ede7f6"];`;
    case "OperationNode":
      return `${dotString(node.id)} [label=${dotLabel([node.step.name, `via ${node.step.tools.join(", ")}`])}, shape=box, style="rounded,filled", fillcolor="${FILL[operationGroup(node.step)]}"];`;
    case "OutputNode":
      return `${dotString(node.id)} [label=${dotLabel([node.artifact])}, shape=note, fillcolor="#ffffff"];`;
  }
};

// `ocistage graph --format dot`: render with `dot -Tsvg`.
export const graphDot = (program: Program): string => {
  const graph = programGraph(program);
  return [
    `digraph ${dotString(graph.graph().image)} {`,
    "  rankdir=LR;",
    '  node [fontname="Helvetica", fontsize=10, style=filled];',
    '  edge [fontname="Helvetica", fontsize=8, color="#777777"];',
    ...graph.nodes().map((id) => `  ${nodeStatement(graph.node(id))}`),
    ...graph.edges().map((edge) => `  ${dotString(edge.v)} -> ${dotString(edge.w)} [label=${dotString(graph.edge(edge).kind)}];`),
    "}",
  ].join("\n");
};
