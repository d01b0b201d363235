import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import { lower } from "@ocistage/lower";
import type { Program, StepOf } from "@ocistage/program";
import { decodeSpec } from "@ocistage/spec";

// A spec given as a value, decoded and lowered as the CLI does it; a spec that does not lower
// throws (the tests that use this mean their spec to be valid).
export const programOf = (spec: unknown, sourceDateEpoch = 0): Program =>
  pipe(
    decodeSpec(spec, "image.json"),
    E.chainW((s) => lower(s, { specFile: "image.json", specText: JSON.stringify(spec), sourceDateEpoch })),
    E.getOrElseW((e) => {
      throw new Error(`the test spec does not lower: ${JSON.stringify(e)}`);
    }),
  );

// The program's assemble-rootfs step of `layer`.
export const assembleStep = (program: Program, layer: string): StepOf<"AssembleRootfs"> => {
  const step = program.steps.find((s): s is StepOf<"AssembleRootfs"> => s._tag === "AssembleRootfs" && s.layer === layer);
  if (step === undefined) throw new Error(`no layer ${layer}`);
  return step;
};
