import { describe, expect, it } from "vitest";
import type { Step } from "../src/index.ts";
import { checkProgram, formatProgramIssue } from "../src/index.ts";
import { exampleProgram, withSteps } from "./exampleProgram.ts";

const lines = (steps: (step: Step) => Step): readonly string[] => checkProgram(withSteps(steps)).map(formatProgramIssue);
const needing = (name: string, needs: readonly string[]) => (step: Step): Step => (step.name === name ? { ...step, needs } : step);

describe("checkProgram: the structure every interpreter relies on", () => {
  it("finds nothing wrong with a well-formed program", () => {
    expect(checkProgram(exampleProgram)).toEqual([]);
  });

  it("reports a step name used twice, once, with the count", () => {
    const issues = lines((s) => (s.name === "write-manifest" ? { ...s, name: "write-config", outputs: [] } : s));
    expect(issues).toContain('steps.write-config.name: the name "write-config" is used by 2 steps; step names must be unique');
  });

  it("reports a need that names no step, at the step that has it", () => {
    expect(lines(needing("write-config", ["tar-layer-app", "tar-layer-ap"]))).toEqual(['steps.write-config.needs: "tar-layer-ap" is not a step of this program']);
  });

  it("names the steps of a cycle in order, starting from the earliest step", () => {
    const issues = checkProgram(withSteps(needing("tar-layer-app", ["assemble-rootfs-app", "write-manifest"])));
    expect(issues.filter((i) => i._tag === "NeedsCycle")).toEqual([{ _tag: "NeedsCycle", steps: ["tar-layer-app", "write-manifest", "write-config"] }]);
    expect(issues.map(formatProgramIssue)).toContain(
      "steps.tar-layer-app.needs: cycle tar-layer-app -> write-manifest -> write-config -> tar-layer-app (each step needs the next)",
    );
  });

  it("reports a step that needs itself as a cycle of one", () => {
    expect(lines(needing("write-index", ["write-index", "write-oci-layout", "write-manifest"]))).toEqual([
      "steps.write-index.needs: cycle write-index -> write-index (each step needs the next)",
    ]);
  });

  it("reports two separate cycles separately", () => {
    const cycles = checkProgram(
      withSteps((s) => (s.name === "write-oci-layout" ? { ...s, needs: ["write-oci-layout"] } : needing("tar-layer-app", ["assemble-rootfs-app", "write-config"])(s))),
    ).filter((i) => i._tag === "NeedsCycle");
    expect(cycles).toEqual([
      { _tag: "NeedsCycle", steps: ["write-oci-layout"] },
      { _tag: "NeedsCycle", steps: ["tar-layer-app", "write-config"] },
    ]);
  });

  it("reports an artifact produced by two steps, naming both", () => {
    expect(lines((s) => (s.name === "write-manifest" ? { ...s, outputs: ["blob:manifest", "blob:config"] } : s))).toEqual([
      'steps.write-manifest.outputs: "blob:config" is produced by write-config and write-manifest; each artifact has exactly one producer',
    ]);
  });

  it("reports an input no step produces, but lets source: inputs come from outside", () => {
    expect(lines((s) => (s.name === "write-config" ? { ...s, inputs: ["blob:layer-app", "blob:layer-other", "source:extra"] } : s))).toEqual([
      'steps.write-config.inputs: "blob:layer-other" is produced by no step (only source: inputs come from outside the program)',
    ]);
  });

  it("reports an input whose producer the step does not wait for", () => {
    expect(lines(needing("write-manifest", []))).toEqual([
      'steps.write-manifest.needs: reads "blob:config", produced by write-config, but does not need write-config (directly or through its needs)',
      'steps.write-manifest.needs: reads "blob:layer-app", produced by tar-layer-app, but does not need tar-layer-app (directly or through its needs)',
    ]);
  });

  it("accepts an input produced by a step it needs only through other steps", () => {
    // write-index reads nothing of tar-layer-app, but write-manifest reads blob:layer-app through write-config.
    expect(lines(needing("write-manifest", ["write-config"]))).toEqual([]);
  });

  it("reports a tool a step uses that the program does not declare", () => {
    expect(lines((s) => (s.name === "write-index" ? { ...s, tools: ["sh", "bash" as "sh"] } : s))).toEqual([
      'steps.write-index.tools: "bash" is not declared in program.tools',
    ]);
  });

  it("collects every issue rather than stopping at the first", () => {
    const issues = checkProgram(
      withSteps((s) => (s.name === "write-index" ? { ...s, needs: ["nope"], tools: ["zsh" as "sh"], inputs: ["blob:nothing"] } : s)),
    );
    expect(issues.map((i) => i._tag)).toEqual(["UnknownNeed", "InputNotProduced", "UndeclaredTool"]);
  });
});
