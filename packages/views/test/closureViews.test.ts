import { describe, expect, it } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import { lower } from "@ocistage/lower";
import type { Program } from "@ocistage/program";
import { closureKey, decodeSpec } from "@ocistage/spec";
import { docsPage, plan, planMarkdown, planText } from "../src/index.ts";

// A program of one split layer, lowered with the closure the edge would have read for jq.
const closurePlan = (): Program => {
  const object = (file: string, size: number, name: string, links: readonly { path: string; target: string }[] = []) => ({
    file,
    source: `/usr${file}`,
    size,
    requests: [{ name, neededBy: "/bin/jq", foundBy: "ld.so.cache" as const, path: links[0]?.path ?? file }],
    links,
  });
  const closures = new Map([
    [
      closureKey("/usr/bin/jq", "/bin/jq", undefined),
      { program: "/usr/bin/jq", destination: "/bin/jq", objects: [object("/lib/x86_64-linux-gnu/libjq.so.1.0.4", 317_536, "libjq.so.1", [{ path: "/lib/x86_64-linux-gnu/libjq.so.1", target: "libjq.so.1.0.4" }]), object("/lib/x86_64-linux-gnu/libc.so.6", 1_926_232, "libc.so.6")] },
    ],
  ]);
  const spec = decodeSpec({ name: "jq", maxLayers: 2, layers: [{ name: "tools", split: "closure", files: [{ source: "/usr/bin/jq", destination: "/bin/jq", closure: true }] }] }, "image.json");
  const program = E.chainW((s: Parameters<typeof lower>[0]) => lower(s, { specFile: "image.json", specText: "{}", sourceDateEpoch: 0, closures }))(spec);
  if (E.isLeft(program)) throw new Error(JSON.stringify(program.left));
  return program.right;
};

describe("plan and docs report closures and how a split layer was grouped", () => {
  const program = closurePlan();
  const lines = [
    "closure of /usr/bin/jq (layers[0].files[0] → /bin/jq, layer tools): libjq.so.1 → /lib/x86_64-linux-gnu/libjq.so.1 → /lib/x86_64-linux-gnu/libjq.so.1.0.4 (ld.so.cache, 310.1 KiB, layer tools); libc.so.6 → /lib/x86_64-linux-gnu/libc.so.6 (ld.so.cache, 1.8 MiB, layer libc.so.6)",
    "layer tools split by closure (1 spare layer, biggest first): /lib/x86_64-linux-gnu/libc.so.6 (1.8 MiB) → layer libc.so.6; stayed in tools: /lib/x86_64-linux-gnu/libjq.so.1.0.4 (310.1 KiB)",
  ];

  it("plan (text, markdown, JSON) lists them after the steps, and each assemble step names its closures", () => {
    const view = plan(program);
    if (E.isLeft(view)) throw new Error("no plan");
    expect(view.right.closures).toEqual(lines);
    expect(planText(view.right)).toContain(`\nclosures:\n  ${lines[0]}\n  ${lines[1]}`);
    expect(planMarkdown(view.right)).toContain(`**Closures**\n\n- ${lines[0]}\n- ${lines[1]}`);
    expect(view.right.steps.filter((s) => s.name.startsWith("assemble")).map((s) => s.summary)).toEqual([
      "assemble layer libc.so.6 (1 entry; closure of /usr/bin/jq)",
      "assemble layer tools (3 entries; closure of /usr/bin/jq)",
    ]);
  });

  it("docs have a Closures section", () => {
    expect(docsPage(program)).toContain(`## Closures\n\n- ${lines[0]}\n- ${lines[1]}`);
  });
});
