import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { Program } from "@ocistage/program";
import { graphDot, graphJson, graphMermaid, graphText } from "../src/index.ts";
import { checkMermaidFlowchart } from "./mermaidGrammar.ts";
import { exampleProgram, inlineProgram, twoLayerProgram } from "./programs.ts";
import { expectFixture } from "./snapshot.ts";

const dotAvailable = spawnSync("dot", ["-V"]).status === 0;

// Render DOT with graphviz; CI must have it (a missing `dot` fails there), a laptop may skip.
const renderDot = (dot: string): string => {
  const result = spawnSync("dot", ["-Tsvg"], { input: dot, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`dot -Tsvg failed: ${result.stderr}`);
  return result.stdout;
};

// Names that would break a careless rendering: quotes, backslashes, DOT escapes, Mermaid syntax.
const awkwardProgram: Program = inlineProgram({
  name: "awkward",
  layers: [
    { name: "a_b", files: [{ content: "x", destination: "/x" }] },
    { name: "a-b", files: [{ content: "y", destination: "/y" }] },
    { name: "end", files: [{ content: "z", destination: "/z" }] },
  ],
});
const withAwkwardStepName: Program = {
  ...awkwardProgram,
  steps: awkwardProgram.steps.map((s) => (s.name === "write-oci-layout" ? { ...s, name: 'say "hi" \\N <b>#1</b>' } : s)),
  // write-index needs the renamed step; keep the program's edges by renaming the need too
};
const quirky: Program = {
  ...withAwkwardStepName,
  steps: withAwkwardStepName.steps.map((s) => (s.name === "write-index" ? { ...s, needs: s.needs.map((n) => (n === "write-oci-layout" ? 'say "hi" \\N <b>#1</b>' : n)) } : s)),
};

describe("the graph view", () => {
  it("prints the seed's counts, node lines and edge lines", async () => {
    const lines = graphText(await exampleProgram("busybox-shell")).split("\n");
    expect(lines.slice(0, 3)).toEqual(["nodes: 19", "edges: 51", "services: 0"]);
    expect(lines).toContain("node tool:sh (tool) package dash");
    expect(lines).toContain("node operation:tar-layer-busybox (operation) via sh, tar, coreutils");
    expect(lines).toContain("node output:blob:layer-busybox (output) from tar-layer-busybox");
    expect(lines).toContain("edge tool:tar -> operation:tar-layer-busybox (uses-tool)");
    expect(lines).toContain("edge operation:write-config -> operation:write-manifest (needs)");
    expect(lines).toContain("edge operation:write-config -> output:blob:config (produces)");
    expect(lines).toContain("edge output:blob:config -> operation:write-manifest (consumes)");
    expect(lines.filter((l) => l.startsWith("node "))).toHaveLength(19);
    expect(lines.filter((l) => l.startsWith("edge "))).toHaveLength(51);
  });

  it("gives the same nodes and edges as JSON", async () => {
    const program = await exampleProgram("busybox-shell");
    const json = graphJson(program);
    const text = graphText(program).split("\n");
    expect(json.nodes.map((n) => n.id)).toEqual(text.filter((l) => l.startsWith("node ")).map((l) => l.split(" ")[1]));
    expect(json.edges.map((e) => `edge ${e.from} -> ${e.to} (${e.kind})`)).toEqual(text.filter((l) => l.startsWith("edge ")));
    expect(json.nodes.find((n) => n.id === "operation:write-config")).toEqual({
      id: "operation:write-config",
      kind: "operation",
      step: "write-config",
      stepKind: "WriteConfig",
      tools: ["sh", "coreutils"],
    });
  });

  it.runIf(dotAvailable || process.env["CI"] === "true")("renders as DOT that graphviz draws, awkward names included", async () => {
    for (const program of [await exampleProgram("busybox-shell"), twoLayerProgram, quirky]) {
      const svg = renderDot(graphDot(program));
      expect(svg).toContain("<svg");
      // one SVG node group per graph node
      expect(svg.match(/class="node"/g)).toHaveLength(graphJson(program).nodes.length);
      expect(svg.match(/class="edge"/g)).toHaveLength(graphJson(program).edges.length);
    }
  });

  it("renders as a Mermaid flowchart whose every line follows the grammar GitHub parses", async () => {
    for (const program of [await exampleProgram("busybox-shell"), twoLayerProgram, quirky]) {
      const mermaid = graphMermaid(program);
      expect(checkMermaidFlowchart(mermaid)).toEqual([]);
      expect(mermaid.split("\n").filter((l) => l.includes("-->"))).toHaveLength(graphJson(program).edges.length);
    }
  });

  it("keeps Mermaid ids apart when names differ only in punctuation, and never uses a keyword", () => {
    const mermaid = graphMermaid(quirky);
    expect(mermaid).toContain('  op_assemble_rootfs_a_b["assemble-rootfs-a_b"]');
    expect(mermaid).toContain('  op_assemble_rootfs_a_b_2["assemble-rootfs-a-b"]');
    expect(mermaid).toContain('  op_say_hi_N_b_1_b["say #quot;hi#quot; \\N #lt;b#gt;#35;1#lt;/b#gt;"]');
    expect(mermaid).not.toMatch(/^\s+end\b/m);
  });

  it("escapes quotes and backslashes in DOT", () => {
    expect(graphDot(quirky)).toContain('"operation:say \\"hi\\" \\\\N <b>#1</b>" [label="say \\"hi\\" \\\\N <b>#1</b>\\nvia sh, coreutils"');
  });

  it("matches its fixtures: text, DOT and Mermaid, for both examples", async () => {
    for (const [name, program] of [["busybox-shell", await exampleProgram("busybox-shell")], ["web-app", twoLayerProgram]] as const) {
      expectFixture(`${name}.graph.txt`, `${graphText(program)}\n`);
      expectFixture(`${name}.graph.dot`, `${graphDot(program)}\n`);
      expectFixture(`${name}.graph.mmd`, `${graphMermaid(program)}\n`);
    }
  });
});
