import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { describeLayoutIssue, formatLayoutError, formatLayoutIssue, formatLocation, verifyLayout } from "@ocistage/layout";
import type { LayoutIssue } from "@ocistage/layout";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";

type Verify = Extract<Command, { _tag: "Verify" }>;

const issueJson = (issue: LayoutIssue): { readonly at: string; readonly kind: string; readonly message: string } => ({
  at: formatLocation(issue.at),
  kind: issue._tag,
  message: describeLayoutIssue(issue),
});

// `ocistage verify LAYOUT [--json]`: re-hash every blob and check every descriptor from
// index.json down. Clean: "ok" (or the JSON report) on stdout, exit 0. Any issue: one line per
// issue, led by the chain of descriptors that reaches it, on stderr (as JSON with --json), exit 1.
// A file system that fails (not a missing or wrong file: those are issues) exits 3.
export const verifyCommand = (command: Verify): TE.TaskEither<CliError, string> =>
  pipe(
    verifyLayout(command.layout),
    TE.mapLeft((error): CliError => ({ _tag: "Environment", lines: formatLayoutError(error) })),
    TE.chain((issues) => {
      const report = { layout: command.layout, result: issues.length === 0 ? "ok" : "invalid", issues: issues.map(issueJson) };
      if (issues.length === 0) return TE.right(command.json ? JSON.stringify(report, null, 2) : "ok");
      return TE.left<CliError, string>({ _tag: "BadInput", lines: command.json ? JSON.stringify(report, null, 2).split("\n") : issues.map(formatLayoutIssue) });
    }),
  );
