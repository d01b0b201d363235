import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { dryRun, dryRunText } from "@ocistage/views";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";

// `ocistage dry-run SPEC [--json]`: what a build would do, touching nothing.
export const dryRunCommand = (command: Extract<Command, { _tag: "DryRun" }>): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec),
    TE.map(({ program }) => (command.json ? JSON.stringify(dryRun(program), null, 2) : dryRunText(program))),
  );
