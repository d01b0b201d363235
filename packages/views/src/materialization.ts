import type { Program } from "@ocistage/program";
import { runtimeServices } from "./runtimeServices.ts";

// The Materialization view: each descriptor becomes one derivation with the program's outputs;
// runtime artifacts (the seeds' bundles and services) are counted, none yet.
export const materializationLines = (program: Program): readonly string[] =>
  program.descriptors.flatMap((d) => [`derivation: ${d.name}`, `outputs: ${program.outputs.length}`, `runtime artifacts: ${runtimeServices(program).length}`]);
