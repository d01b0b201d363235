import type { Program, ProgramGraph, ProgramNode } from "@ocistage/program";
import { programGraph } from "@ocistage/program";
import { runtimeServices } from "./runtimeServices.ts";


export const nodeLine = (node: ProgramNode): string => {
  switch (node._tag) {
    case "ToolNode":
      return `node ${node.id} (tool) package ${node.tool.package}`;
    case "OperationNode":
      return `node ${node.id} (operation) via ${node.step.tools.join(", ")}`;
    case "OutputNode":
      return `node ${node.id} (output) from ${node.producer}`;
  }
};

export const graphCountLines = (program: Program, graph: ProgramGraph): readonly string[] => [
  `nodes: ${graph.nodeCount()}`,
  `edges: ${graph.edgeCount()}`,
  `services: ${runtimeServices(program).length}`,
];

export const graphNodeLines = (graph: ProgramGraph): readonly string[] => graph.nodes().map((id) => nodeLine(graph.node(id)));

export const graphEdgeLines = (graph: ProgramGraph): readonly string[] =>
  graph.edges().map((edge) => `edge ${edge.v} -> ${edge.w} (${graph.edge(edge).kind})`);

export const graphLines = (program: Program, graph: ProgramGraph): readonly string[] => [
  ...graphCountLines(program, graph),
  ...graphNodeLines(graph),
  ...graphEdgeLines(graph),
];

// `ocistage graph` (text): the counts, then a line per node and per edge.
export const graphText = (program: Program): string => graphLines(program, programGraph(program)).join("\n");
