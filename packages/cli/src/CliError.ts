import { formatSpecError, formatSpecIssue } from "@ocistage/spec";
import type { SpecError } from "@ocistage/spec";
import type { LowerError } from "@ocistage/lower";
import { ExitCode } from "./ExitCode.ts";

// Every failure the CLI reports, as data; `renderCliError` gives the lines and the exit code.
export type CliError =
  | { readonly _tag: "Usage"; readonly message: string }
  | { readonly _tag: "Spec"; readonly error: SpecError }
  | { readonly _tag: "Lower"; readonly error: LowerError }
  | { readonly _tag: "BadInput"; readonly lines: readonly string[] }
  | { readonly _tag: "Environment"; readonly lines: readonly string[] };

export const renderCliError = (error: CliError): { readonly lines: readonly string[]; readonly code: ExitCode } => {
  switch (error._tag) {
    case "Usage":
      return { lines: [error.message, "Run `ocistage --help` for usage."], code: ExitCode.usage };
    case "Spec":
      return {
        lines: formatSpecError(error.error),
        code: error.error._tag === "SpecNotFound" || error.error._tag === "SpecUnreadable" || error.error._tag === "SpecSyntax" || error.error._tag === "SpecInvalid" ? ExitCode.badInput : ExitCode.environment,
      };
    case "Lower":
      return { lines: error.error.issues.map(formatSpecIssue), code: ExitCode.badInput };
    case "BadInput":
      return { lines: error.lines, code: ExitCode.badInput };
    case "Environment":
      return { lines: error.lines, code: ExitCode.environment };
  }
};
