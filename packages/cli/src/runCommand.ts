import * as TE from "fp-ts/lib/TaskEither.js";
import type { CliError } from "./CliError.ts";
import type { Command } from "./Command.ts";
import { USAGE, VERB_USAGE, VERSION } from "./usage.ts";

// What a command prints on stdout when it succeeds. Failures are CliError values.
export type CommandOutput = string;

/**
 * A verb's module is loaded when that verb runs, not when the CLI starts: the bundle is split
 * by verb (packages/cli/bin/ocistage.mjs), so `push` does not parse the spec reader, the
 * builders and the emitters before its first request. Only bugs reject the import.
 */
const lazily =
  <M>(load: () => Promise<M>, run: (module: M) => TE.TaskEither<CliError, CommandOutput>): TE.TaskEither<CliError, CommandOutput> =>
  () =>
    load().then((module) => run(module)());

// One handler per verb; the switch is exhaustive, so a new verb must be wired here to compile.
export const runCommand = (command: Command): TE.TaskEither<CliError, CommandOutput> => {
  switch (command._tag) {
    case "Help":
      return TE.right(command.verb === undefined ? USAGE : (VERB_USAGE[command.verb] ?? USAGE));
    case "Version":
      return TE.right(`ocistage ${VERSION}`);
    case "Build":
      return lazily(() => import("./commands/build.ts"), (m) => m.buildCommand(command));
    case "Validate":
      return lazily(() => import("./commands/validate.ts"), (m) => m.validateCommand(command));
    case "Plan":
      return lazily(() => import("./commands/plan.ts"), (m) => m.planCommand(command));
    case "DryRun":
      return lazily(() => import("./commands/dry-run.ts"), (m) => m.dryRunCommand(command));
    case "Graph":
      return lazily(() => import("./commands/graph.ts"), (m) => m.graphCommand(command));
    case "Docs":
      return lazily(() => import("./commands/docs.ts"), (m) => m.docsCommand(command));
    case "EmitShell":
      return lazily(() => import("./commands/emitShell.ts"), (m) => m.emitShellCommand(command));
    case "EmitDockerfile":
      return lazily(() => import("./commands/emitDockerfile.ts"), (m) => m.emitDockerfileCommand(command));
    case "Test":
      return lazily(() => import("./commands/test.ts"), (m) => m.testCommand(command));
    case "Verify":
      return lazily(() => import("./commands/verify.ts"), (m) => m.verifyCommand(command));
    case "Convert":
      return lazily(() => import("./commands/convert.ts"), (m) => m.convertCommand(command));
    case "Bundle":
      return lazily(() => import("./commands/bundle.ts"), (m) => m.bundleCommand(command));
    case "Push":
      return lazily(() => import("./commands/push.ts"), (m) => m.pushCommand(command));
    case "Pull":
      return lazily(() => import("./commands/pull.ts"), (m) => m.pullCommand(command));
    case "NotYet":
      return TE.left({ _tag: "Usage", message: `ocistage ${command.verb}: not implemented yet` });
  }
};
