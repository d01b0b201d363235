import { absurd } from "fp-ts/lib/function.js";
import { formatSpecError, formatSpecIssue } from "@ocistage/spec";
import type { SpecError } from "@ocistage/spec";
import type { LowerError } from "@ocistage/lower";
import { ExitCode } from "./ExitCode.ts";
import { inputReadExitCode } from "./ioExitCode.ts";

// Every failure the CLI reports, as data; `renderCliError` gives the lines and the exit code.
export type CliError =
  | { readonly _tag: "Usage"; readonly message: string }
  | { readonly _tag: "Spec"; readonly error: SpecError }
  | { readonly _tag: "Lower"; readonly error: LowerError }
  | { readonly _tag: "BadInput"; readonly lines: readonly string[] }
  | { readonly _tag: "Environment"; readonly lines: readonly string[] }
  // A failure whose report was asked for on stdout (`--json`): `report` is printed there, and
  // `error` decides the exit code.
  | { readonly _tag: "Reported"; readonly report: string; readonly error: CliError };

/** What a failure prints: `stdout` (usually empty), `lines` on stderr, and the exit code. */
export interface RenderedCliError {
  readonly stdout: string;
  readonly lines: readonly string[];
  readonly code: ExitCode;
}

// A spec that cannot be found or read exits 1 like any other wrong input (a wrong path, a
// folder, no permission), unless the machine failed reading it (EIO, EMFILE, …): exit 3.
const specExitCode = (error: SpecError): ExitCode => {
  switch (error._tag) {
    case "SpecNotFound":
    case "SpecUnreadable":
      return inputReadExitCode(error.reason);
    case "SpecSyntax":
    case "SpecInvalid":
      return ExitCode.badInput;
    default:
      return absurd(error);
  }
};

export const renderCliError = (error: CliError): RenderedCliError => {
  switch (error._tag) {
    case "Usage":
      return { stdout: "", lines: [error.message, "Run `ocistage --help` for usage."], code: ExitCode.usage };
    case "Spec":
      return { stdout: "", lines: formatSpecError(error.error), code: specExitCode(error.error) };
    case "Lower":
      return { stdout: "", lines: error.error.issues.map(formatSpecIssue), code: ExitCode.badInput };
    case "BadInput":
      return { stdout: "", lines: error.lines, code: ExitCode.badInput };
    case "Environment":
      return { stdout: "", lines: error.lines, code: ExitCode.environment };
    case "Reported":
      return { stdout: error.report, lines: [], code: renderCliError(error.error).code };
    default:
      return absurd(error);
  }
};
