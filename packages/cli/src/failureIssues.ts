import { formatSpecIssue } from "@ocistage/spec";
import type { SpecIssue } from "@ocistage/spec";
import type { CliError } from "./CliError.ts";
import { renderCliError } from "./CliError.ts";

/** One issue of a failure for a `--json` report: `at` is the spec field path ("" for the whole file). */
export interface FailureIssue {
  readonly at: string;
  readonly message: string; // the line the text output prints
}

const ofSpecIssue = (issue: SpecIssue): FailureIssue => ({ at: issue.at, message: formatSpecIssue(issue) });

/**
 * A failure as issues: field by field for a spec that decodes or lowers badly, otherwise one issue
 * per line the text output would print.
 */
export const failureIssues = (error: CliError): readonly FailureIssue[] => {
  if (error._tag === "Spec" && error.error._tag === "SpecInvalid") return error.error.issues.map(ofSpecIssue);
  if (error._tag === "Lower") return error.error.issues.map(ofSpecIssue);
  return renderCliError(error).lines.map((message) => ({ at: "", message }));
};
