import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { validation, validationJson, validationLines } from "@ocistage/views";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";

// `ocistage validate SPEC [--json]`: decode, lower, check the program; every issue, exit 1.
// (An invalid program's report goes to stderr, --json included: failures leave stdout empty.)
export const validateCommand = (command: Extract<Command, { _tag: "Validate" }>): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec),
    TE.chainEitherK(({ program }): E.Either<CliError, string> => {
      const view = validation(program);
      const text = command.json ? JSON.stringify(validationJson(view), null, 2) : validationLines(view).join("\n");
      return view.result === "ok" ? E.right(text) : E.left({ _tag: "BadInput", lines: text.split("\n") });
    }),
  );
