import type { Program, ProgramEdgeKind, ProgramNode } from "@ocistage/program";
import { programGraph } from "@ocistage/program";
import { runtimeServices } from "./runtimeServices.ts";

export type GraphJsonNode =
  | { readonly id: string; readonly kind: "tool"; readonly tool: string; readonly package: string }
  | { readonly id: string; readonly kind: "operation"; readonly step: string; readonly stepKind: string; readonly tools: readonly string[] }
  | { readonly id: string; readonly kind: "output"; readonly artifact: string; readonly producer: string };

export interface GraphJson {
  readonly image: string;
  readonly services: number;
  readonly nodes: readonly GraphJsonNode[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly kind: ProgramEdgeKind }[];
}

const nodeJson = (node: ProgramNode): GraphJsonNode => {
  switch (node._tag) {
    case "ToolNode":
      return { id: node.id, kind: "tool", tool: node.tool.name, package: node.tool.package };
    case "OperationNode":
      return { id: node.id, kind: "operation", step: node.step.name, stepKind: node.step._tag, tools: node.step.tools };
    case "OutputNode":
      return { id: node.id, kind: "output", artifact: node.artifact, producer: node.producer };
  }
};

// `ocistage graph --format json`: the same nodes and edges as plain data.
export const graphJson = (program: Program): GraphJson => {
  const graph = programGraph(program);
  return {
    image: graph.graph().image,
    services: runtimeServices(program).length,
    nodes: graph.nodes().map((id) => nodeJson(graph.node(id))),
    edges: graph.edges().map((edge) => ({ from: edge.v, to: edge.w, kind: graph.edge(edge).kind })),
  };
};
