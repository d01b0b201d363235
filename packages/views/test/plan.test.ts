import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { shellStepCommands } from "@ocistage/emit";
import type { Program, Step } from "@ocistage/program";
import type { Plan } from "../src/index.ts";
import { executionOrder, plan, planMarkdown, planShellExcerpt, planText } from "../src/index.ts";
import { exampleProgram, twoLayerProgram } from "./programs.ts";
import { expectFixture } from "./snapshot.ts";

const planned = (program: Program): Plan => {
  const result = plan(program);
  if (E.isLeft(result)) throw new Error(`no plan: ${JSON.stringify(result.left)}`);
  return result.right;
};

const names = (steps: readonly Step[]): readonly string[] => steps.map((s) => s.name);

describe("the plan view", () => {
  it("keeps program order when the program is already in dependency order", () => {
    expect(planned(twoLayerProgram).steps.map((s) => s.name)).toEqual(twoLayerProgram.steps.map((s) => s.name));
  });

  it("orders by needs first, and breaks ties by program order", () => {
    // the program lists the tail first and the layers backwards; the order must still be valid
    const shuffled: Program = { ...twoLayerProgram, steps: [...twoLayerProgram.steps].reverse() };
    const order = executionOrder(shuffled);
    expect(E.isRight(order) && names(order.right)).toEqual([
      "assemble-rootfs-app",
      "tar-layer-app",
      "assemble-rootfs-base",
      "tar-layer-base",
      "write-config",
      "write-manifest",
      "write-oci-layout",
      "write-index",
      "verify-blobs",
      "clean-scratch",
      "archive-layout",
    ]);
  });

  it("has no order for a program with a cycle, and says why", () => {
    const cyclic: Program = { ...twoLayerProgram, steps: twoLayerProgram.steps.map((s) => (s.name === "assemble-rootfs-app" ? { ...s, needs: ["archive-layout"] } : s)) };
    const result = plan(cyclic);
    expect(E.isLeft(result) && result.left.map((i) => i._tag)).toEqual(["NeedsCycle"]);
  });

  it("gives each step the shell substrate's command for it", async () => {
    const program = await exampleProgram("busybox-shell");
    const commands = shellStepCommands(program);
    for (const step of planned(program).steps) {
      expect(step.command).not.toBe("");
      expect(step.command).toBe(commands.get(step.name));
    }
  });

  it("cuts the shell excerpt at twenty lines and says where the rest is", () => {
    const long: Plan = { image: "x:1", steps: planned(twoLayerProgram).steps.map((s) => ({ ...s, command: "echo 1\necho 2\necho 3" })) };
    const excerpt = planShellExcerpt(long).split("\n");
    expect(excerpt).toHaveLength(21);
    expect(excerpt[20]).toBe("# … (the whole script: ocistage emit shell SPEC)");
    expect(planShellExcerpt(planned(twoLayerProgram)).split("\n").length).toBeLessThanOrEqual(21);
  });

  it("in Markdown, is one table with a row per step and a collapsed excerpt", () => {
    const markdown = planMarkdown(planned(twoLayerProgram));
    const rows = markdown.split("\n").filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(11);
    expect(rows[6]).toBe("| 7 | `write-manifest` | `write-config`, `tar-layer-base`, `tar-layer-app` | sh, coreutils | manifest blob: config and 2 layers |");
    expect(markdown).toContain("<details><summary>Shell excerpt</summary>");
  });

  it("in Markdown, shortens a long list of needs", () => {
    const many: Plan = { image: "x:1", steps: [{ ...planned(twoLayerProgram).steps[0]!, needs: ["a", "b", "c", "d", "e"] }] };
    expect(planMarkdown(many)).toContain("| `a`, `b`, `c` and 2 more |");
  });

  it("is plain data for --format json", () => {
    const view = planned(twoLayerProgram);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(view.steps[0]).toMatchObject({ order: 1, name: "write-oci-layout", verb: "write", needs: [], tools: ["sh", "coreutils"] });
  });

  it("matches its fixtures, text and Markdown, for both examples", async () => {
    for (const [name, program] of [["busybox-shell", await exampleProgram("busybox-shell")], ["web-app", twoLayerProgram]] as const) {
      expectFixture(`${name}.plan.txt`, `${planText(planned(program))}\n`);
      expectFixture(`${name}.plan.md`, `${planMarkdown(planned(program))}\n`);
    }
  });
});
