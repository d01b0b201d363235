import * as TE from "fp-ts/lib/TaskEither.js";
import type { CliError } from "./CliError.ts";
import type { Command } from "./Command.ts";
import { buildCommand } from "./commands/build.ts";
import { bundleCommand } from "./commands/bundle.ts";
import { convertCommand } from "./commands/convert.ts";
import { docsCommand } from "./commands/docs.ts";
import { dryRunCommand } from "./commands/dry-run.ts";
import { emitDockerfileCommand } from "./commands/emitDockerfile.ts";
import { emitShellCommand } from "./commands/emitShell.ts";
import { graphCommand } from "./commands/graph.ts";
import { planCommand } from "./commands/plan.ts";
import { pullCommand } from "./commands/pull.ts";
import { pushCommand } from "./commands/push.ts";
import { testCommand } from "./commands/test.ts";
import { validateCommand } from "./commands/validate.ts";
import { verifyCommand } from "./commands/verify.ts";
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
      return planCommand(command);
    case "DryRun":
      return dryRunCommand(command);
    case "Graph":
      return graphCommand(command);
    case "Docs":
      return docsCommand(command);
    case "EmitShell":
      return emitShellCommand(command);
    case "EmitDockerfile":
      return emitDockerfileCommand(command);
    case "Test":
      return testCommand(command);
    case "Verify":
      return verifyCommand(command);
    case "Convert":
      return convertCommand(command);
    case "Bundle":
      return bundleCommand(command);
    case "Push":
      return pushCommand(command);
    case "Pull":
      return pullCommand(command);
    case "NotYet":
      return TE.left({ _tag: "Usage", message: `ocistage ${command.verb}: not implemented yet` });
  }
};
