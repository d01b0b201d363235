import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";

export const validateCommand = (command: Extract<Command, { _tag: "Validate" }>): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec),
    TE.map(({ program }) => (command.json ? JSON.stringify({ result: "ok", steps: program.steps.length }) : "result: ok")),
  );
