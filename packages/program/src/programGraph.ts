import { Graph } from "@dagrejs/graphlib";
import type { Artifact } from "./Artifact.ts";
import type { Program } from "./Program.ts";
import { programTitle } from "./programTitle.ts";
import type { Step } from "./Step.ts";
import type { Tool } from "./Tool.ts";

// The nodes of a program's graph: the tools a shell substrate needs, the operations (steps),
// and the artifacts the operations produce.
export type ProgramNode =
  | { readonly _tag: "ToolNode"; readonly id: string; readonly tool: Tool }
  | { readonly _tag: "OperationNode"; readonly id: string; readonly step: Step }
  | { readonly _tag: "OutputNode"; readonly id: string; readonly artifact: Artifact; readonly producer: string };

// uses-tool: tool → operation; needs: dependency → dependent; produces: operation → output;
// consumes: output → the operation that reads it.
export type ProgramEdgeKind = "uses-tool" | "needs" | "produces" | "consumes";

export interface ProgramEdge {
  readonly kind: ProgramEdgeKind;
}

export interface ProgramGraphLabel {
  readonly image: string; // name:tag
}

export type ProgramGraph = Graph<ProgramGraphLabel, ProgramNode, ProgramEdge>;

export const toolNodeId = (tool: string): string => `tool:${tool}`;
export const operationNodeId = (step: string): string => `operation:${step}`;
export const outputNodeId = (artifact: Artifact): string => `output:${artifact}`;

// Program → graph, linear in the program's size. Nodes are inserted tools first, then operations,
// then outputs (each in program order), and edges kind by kind, so every rendering is stable.
// Edges to things the program does not declare (an unknown need or tool, an input nobody
// produces) are left out: `checkProgram` reports those.
export const programGraph = (program: Program): ProgramGraph => {
  const graph: ProgramGraph = new Graph<ProgramGraphLabel, ProgramNode, ProgramEdge>({ directed: true, multigraph: true });
  graph.setGraph({ image: programTitle(program) });
  for (const tool of program.tools) graph.setNode(toolNodeId(tool.name), { _tag: "ToolNode", id: toolNodeId(tool.name), tool });
  for (const step of program.steps)
    if (!graph.hasNode(operationNodeId(step.name))) graph.setNode(operationNodeId(step.name), { _tag: "OperationNode", id: operationNodeId(step.name), step });
  const producer = new Map<Artifact, string>();
  for (const step of program.steps)
    for (const artifact of step.outputs)
      if (!producer.has(artifact)) {
        producer.set(artifact, step.name);
        graph.setNode(outputNodeId(artifact), { _tag: "OutputNode", id: outputNodeId(artifact), artifact, producer: step.name });
      }

  const edge = (from: string, to: string, kind: ProgramEdgeKind): void => {
    if (graph.hasNode(from) && graph.hasNode(to)) graph.setEdge(from, to, { kind }, kind);
  };
  for (const step of program.steps) for (const tool of step.tools) edge(toolNodeId(tool), operationNodeId(step.name), "uses-tool");
  for (const step of program.steps) for (const need of step.needs) edge(operationNodeId(need), operationNodeId(step.name), "needs");
  for (const step of program.steps) for (const artifact of step.outputs) edge(operationNodeId(step.name), outputNodeId(artifact), "produces");
  for (const step of program.steps) for (const artifact of step.inputs) edge(outputNodeId(artifact), operationNodeId(step.name), "consumes");
  return graph;
};
