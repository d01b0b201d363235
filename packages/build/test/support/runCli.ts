import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { ProcessResult } from "./runProcess.ts";
import { runProcess } from "./runProcess.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const CLI_BIN = path.join(REPO_ROOT, "packages/cli/bin/ocistage.mjs");
export const EXAMPLE_BUSYBOX = path.join(REPO_ROOT, "examples/busybox-shell");
export const EXAMPLE_LAYOUT = path.join(REPO_ROOT, "examples/layout");

// The environment a CLI run gets: the test's own (whose XDG_CACHE_HOME, set by vitest.setup.ts,
// is the test process's own cache), without SOURCE_DATE_EPOCH (a developer's shell may set it),
// plus what the test says.
export const cliEnv = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env["SOURCE_DATE_EPOCH"];
  return { ...env, ...extra };
};

export interface CliRun {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly umask?: string; // e.g. "077"; node cannot set a child's umask, so a shell does
}

// `node packages/cli/bin/ocistage.mjs ARGS…` as a separate process, exactly as a user runs it.
export const runCli = (args: readonly string[], options: CliRun = {}): Promise<ProcessResult> => {
  const node = [process.execPath, CLI_BIN, ...args];
  const [command, ...rest] = options.umask === undefined ? node : ["/bin/sh", "-c", `umask ${options.umask} && exec "$@"`, "sh", ...node];
  return runProcess(command ?? process.execPath, rest, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? cliEnv(), timeoutMs: 90_000 });
};
