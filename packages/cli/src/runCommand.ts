import * as TE from "fp-ts/lib/TaskEither.js";
import type { CliError } from "./CliError.ts";
import type { Command } from "./Command.ts";
import { buildCommand } from "./commands/build.ts";
import { validateCommand } from "./commands/validate.ts";
import { USAGE, VERB_USAGE, VERSION } from "./usage.ts";

// What a command prints on stdout when it succeeds. Failures are CliError values.
export type CommandOutput = string;

const notYet = (verb: string, what: string): TE.TaskEither<CliError, CommandOutput> =>
  TE.left({ _tag: "Usage", message: `ocistage ${verb}: not yet implemented (${what})` });

// One handler per verb; the switch is exhaustive, so a new verb must be wired here to compile.
export const runCommand = (command: Command): TE.TaskEither<CliError, CommandOutput> => {
  switch (command._tag) {
    case "Help":
      return TE.right(command.verb === undefined ? USAGE : (VERB_USAGE[command.verb] ?? USAGE));
    case "Version":
      return TE.right(`ocistage ${VERSION}`);
    case "Build":
      return buildCommand(command);
    case "Validate":
      return validateCommand(command);
    case "Plan":
      return notYet("plan", "the plan view");
    case "DryRun":
      return notYet("dry-run", "the dry-run view");
    case "Graph":
      return notYet("graph", "the graph view");
    case "Docs":
      return notYet("docs", "the docs view");
    case "EmitShell":
      return notYet("emit shell", "the shell substrate");
    case "EmitDockerfile":
      return notYet("emit dockerfile", "the Dockerfile substrate");
    case "Test":
      return notYet("test", "smoke tests");
    case "Verify":
      return notYet("verify", "layout verification");
    case "NotYet":
      return TE.left({ _tag: "Usage", message: `ocistage ${command.verb}: not implemented yet` });
  }
};
