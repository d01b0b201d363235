import type { Program, ProgramIssue } from "@ocistage/program";
import { checkProgram, formatProgramIssue } from "@ocistage/program";

// The Validation view: the structural checks' verdict, as data and as lines.
export type Validation =
  | { readonly result: "ok"; readonly steps: number }
  | { readonly result: "invalid"; readonly steps: number; readonly issues: readonly ProgramIssue[] };

export const validation = (program: Program): Validation => {
  const issues = checkProgram(program);
  return issues.length === 0 ? { result: "ok", steps: program.steps.length } : { result: "invalid", steps: program.steps.length, issues };
};

export const validationLines = (view: Validation): readonly string[] =>
  view.result === "ok" ? ["result: ok"] : [`result: ${view.issues.length} issue${view.issues.length === 1 ? "" : "s"}`, ...view.issues.map(formatProgramIssue)];

export type ValidationJson =
  | { readonly result: "ok"; readonly steps: number }
  | { readonly result: "invalid"; readonly steps: number; readonly issues: readonly (ProgramIssue & { readonly message: string })[] };

// For --json: the issues with their rendered line beside the data.
export const validationJson = (view: Validation): ValidationJson =>
  view.result === "ok" ? view : { ...view, issues: view.issues.map((issue) => ({ ...issue, message: formatProgramIssue(issue) })) };
