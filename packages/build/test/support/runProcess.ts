import { spawn } from "node:child_process";

export interface ProcessResult {
  readonly code: number | null; // null when a signal ended it
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv; // the whole environment (not merged), so a test controls it
  readonly timeoutMs?: number;
}

// Runs a program to its end with no standard input and captures both streams. Rejects only when
// the program cannot be started (or outlives its timeout): a non-zero exit is a result to assert on.
export const runProcess = (command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")}: still running after ${options.timeoutMs ?? 60_000} ms`));
    }, options.timeoutMs ?? 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });

// The same, for commands that must succeed: the error carries what the tool said.
export const runOk = async (command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> => {
  const result = await runProcess(command, args, options);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(" ")} exited ${result.code ?? result.signal}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
};
