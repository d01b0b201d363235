import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { validation, validationJson, validationLines } from "@ocistage/views";
import type { CliError } from "../CliError.ts";
import { renderCliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { ExitCode } from "../ExitCode.ts";
import { failureIssues } from "../failureIssues.ts";
import { loadProgram } from "../loadProgram.ts";

type Validate = Extract<Command, { _tag: "Validate" }>;

const json = (value: unknown): string => JSON.stringify(value, null, 2);

// With --json the result goes to stdout whatever it is: the program check's report, or, for a spec
// that does not load, decode or lower, `{ result: "invalid", issues: [{ at, message }] }`
// (`result: "error"` when the machine failed, exit 3). The exit code is the text mode's.
const reportOnStdout = (error: CliError): CliError => ({
  _tag: "Reported",
  report: json({ result: renderCliError(error).code === ExitCode.environment ? "error" : "invalid", issues: failureIssues(error) }),
  error,
});

// `ocistage validate SPEC [--json]`: decode, lower, check the program; every issue, exit 1.
// Without --json an invalid spec's issues go to stderr and stdout stays empty.
export const validateCommand = (command: Validate): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec),
    TE.chainEitherK(({ program }): E.Either<CliError, string> => {
      const view = validation(program);
      if (command.json) {
        const report = json(validationJson(view));
        return view.result === "ok" ? E.right(report) : E.left({ _tag: "Reported", report, error: { _tag: "BadInput", lines: [] } });
      }
      const lines = validationLines(view);
      return view.result === "ok" ? E.right(lines.join("\n")) : E.left({ _tag: "BadInput", lines });
    }),
    TE.orElseW((error) => (command.json && error._tag !== "Reported" ? TE.left(reportOnStdout(error)) : TE.left(error))),
  );
