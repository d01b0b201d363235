import type { Program } from "@ocistage/program";
import { runtimeServices } from "./runtimeServices.ts";

// Builder Self-Documentation: every operation says what it does in one line.
export const selfDocumentationLines = (program: Program): readonly string[] => [
  `documented operations: ${program.steps.filter((s) => s.description !== "").length}`,
  `runtime services: ${runtimeServices(program).length}`,
  ...program.steps.map((s) => `${s.name}: ${s.description}`),
];
