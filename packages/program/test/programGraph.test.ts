import { alg } from "@dagrejs/graphlib";
import { describe, expect, it } from "vitest";
import { programGraph } from "../src/index.ts";
import { exampleProgram, withSteps } from "./exampleProgram.ts";

const edgesOf = (kind: string) => {
  const graph = programGraph(exampleProgram);
  return graph
    .edges()
    .filter((e) => graph.edge(e).kind === kind)
    .map((e) => `${e.v} -> ${e.w}`);
};

describe("programGraph: tools, operations and outputs as one graph", () => {
  it("has a node per tool, per step and per produced artifact, in that order", () => {
    expect(programGraph(exampleProgram).nodes()).toEqual([
      "tool:sh",
      "tool:tar",
      "tool:coreutils",
      "operation:write-oci-layout",
      "operation:assemble-rootfs-app",
      "operation:tar-layer-app",
      "operation:write-config",
      "operation:write-manifest",
      "operation:write-index",
      "output:file:oci-layout",
      "output:scratch:rootfs-app",
      "output:blob:layer-app",
      "output:blob:config",
      "output:blob:manifest",
      "output:file:index.json",
    ]);
  });

  it("keeps the step, the tool and the producer on the nodes", () => {
    const graph = programGraph(exampleProgram);
    expect(graph.node("tool:tar")).toMatchObject({ _tag: "ToolNode", tool: { package: "tar" } });
    expect(graph.node("operation:tar-layer-app")).toMatchObject({ _tag: "OperationNode", step: { _tag: "TarLayer", layer: "app" } });
    expect(graph.node("output:blob:layer-app")).toEqual({ _tag: "OutputNode", id: "output:blob:layer-app", artifact: "blob:layer-app", producer: "tar-layer-app" });
    expect(graph.graph()).toEqual({ image: "app:latest" });
  });

  it("draws uses-tool edges from each tool to the operations that use it", () => {
    expect(edgesOf("uses-tool")).toContain("tool:tar -> operation:tar-layer-app");
    expect(edgesOf("uses-tool")).not.toContain("tool:tar -> operation:write-config");
    expect(edgesOf("uses-tool")).toHaveLength(12);
  });

  it("draws needs edges from the dependency to the dependent", () => {
    expect(edgesOf("needs")).toEqual([
      "operation:assemble-rootfs-app -> operation:tar-layer-app",
      "operation:tar-layer-app -> operation:write-config",
      "operation:write-config -> operation:write-manifest",
      "operation:write-oci-layout -> operation:write-index",
      "operation:write-manifest -> operation:write-index",
    ]);
  });

  it("draws produces edges to outputs and consumes edges from them, but none for sources", () => {
    expect(edgesOf("produces")).toContain("operation:write-config -> output:blob:config");
    expect(edgesOf("consumes")).toEqual([
      "output:scratch:rootfs-app -> operation:tar-layer-app",
      "output:blob:layer-app -> operation:write-config",
      "output:blob:config -> operation:write-manifest",
      "output:blob:layer-app -> operation:write-manifest",
      "output:file:oci-layout -> operation:write-index",
      "output:blob:manifest -> operation:write-index",
    ]);
  });

  it("is acyclic for a well-formed program, and shows a cycle of needs", () => {
    expect(alg.isAcyclic(programGraph(exampleProgram))).toBe(true);
    const cyclic = withSteps((s) => (s.name === "assemble-rootfs-app" ? { ...s, needs: ["write-config"] } : s));
    expect(alg.isAcyclic(programGraph(cyclic))).toBe(false);
  });

  it("leaves out edges to steps or tools the program does not have, adding no stray nodes", () => {
    const broken = withSteps((s) => (s.name === "write-index" ? { ...s, needs: ["ghost"], tools: ["zsh" as "sh"] } : s));
    const graph = programGraph(broken);
    expect(graph.nodeCount()).toBe(programGraph(exampleProgram).nodeCount());
    expect(graph.hasNode("operation:ghost")).toBe(false);
  });
});
