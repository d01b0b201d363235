import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { formatProgramIssue } from "@ocistage/program";
import { plan, planMarkdown, planText } from "@ocistage/views";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";

// `ocistage plan SPEC [--format text|markdown|json]`: the steps in execution order with their commands.
export const planCommand = (command: Extract<Command, { _tag: "Plan" }>): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec),
    TE.chainEitherK(({ program }) =>
      pipe(
        plan(program),
        E.bimap(
          (issues): CliError => ({ _tag: "BadInput", lines: issues.map(formatProgramIssue) }),
          (view) => (command.format === "json" ? JSON.stringify(view, null, 2) : command.format === "markdown" ? planMarkdown(view) : planText(view)),
        ),
      ),
    ),
  );
