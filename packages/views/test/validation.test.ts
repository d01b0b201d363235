import { describe, expect, it } from "vitest";
import type { Program, Step } from "@ocistage/program";
import { validation, validationJson, validationLines } from "../src/index.ts";
import { exampleProgram, twoLayerProgram } from "./programs.ts";

const editSteps = (program: Program, edit: (step: Step) => Step): Program => ({ ...program, steps: program.steps.map(edit) });

describe("the Validation view", () => {
  it("says `result: ok` for the busybox example and the two-layer spec", async () => {
    expect(validationLines(validation(await exampleProgram("busybox-shell")))).toEqual(["result: ok"]);
    expect(validation(twoLayerProgram)).toEqual({ result: "ok", steps: 11 });
  });

  it("reports a cycle with the names of the steps in it", () => {
    // the base layer's tar now waits for the manifest, which waits for that tar
    const cyclic = editSteps(twoLayerProgram, (s) => (s.name === "tar-layer-base" ? { ...s, needs: [...s.needs, "write-manifest"] } : s));
    expect(validationLines(validation(cyclic))).toEqual([
      "result: 1 issue",
      "steps.tar-layer-base.needs: cycle tar-layer-base -> write-manifest -> tar-layer-base (each step needs the next)",
    ]);
  });

  it("reports a dangling need at the step that has it", () => {
    const dangling = editSteps(twoLayerProgram, (s) => (s.name === "write-index" ? { ...s, needs: [...s.needs, "sign-manifest"] } : s));
    expect(validationLines(validation(dangling))).toEqual(["result: 1 issue", 'steps.write-index.needs: "sign-manifest" is not a step of this program']);
  });

  it("gives the issues as data with their message for --json", () => {
    const dangling = editSteps(twoLayerProgram, (s) => (s.name === "write-index" ? { ...s, needs: ["sign-manifest"] } : s));
    const json = JSON.parse(JSON.stringify(validationJson(validation(dangling)))) as { result: string; issues: { _tag: string; step: string; message: string }[] };
    expect(json.result).toBe("invalid");
    expect(json.issues[0]).toEqual({
      _tag: "UnknownNeed",
      step: "write-index",
      need: "sign-manifest",
      message: 'steps.write-index.needs: "sign-manifest" is not a step of this program',
    });
    // with an unknown need, what write-index really waits for is unknown: nothing more is claimed
    expect(json.issues).toHaveLength(1);
  });
});
