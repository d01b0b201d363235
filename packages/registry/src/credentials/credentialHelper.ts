import * as O from "fp-ts/lib/Option.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { spawn } from "node:child_process";
import type { RegistryError } from "../RegistryError.ts";
import type { Credentials } from "./Credentials.ts";

interface HelperRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly spawnError?: string;
}

// A helper that hangs (waiting for a keyring prompt, say) must not hang the push.
const HELPER_TIMEOUT_MS = 30_000;

const run = (program: string, input: string): Promise<HelperRun> =>
  new Promise((resolve) => {
    const child = spawn(program, ["get"], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), HELPER_TIMEOUT_MS);
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ code: null, stdout: "", stderr: "", spawnError: e.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
    child.stdin.on("error", () => undefined); // a helper that exits without reading its input
    child.stdin.end(input);
  });

/**
 * Asks a docker credential helper (`docker-credential-NAME get`, the server on its standard input,
 * `{"Username", "Secret"}` on its standard output) for a registry's credentials. `none` when the
 * helper says it has none ("credentials not found"); an error when it cannot be run or fails
 * otherwise. The helper's own output is never put in an error: it may echo a secret.
 */
export const askCredentialHelper =
  (name: string, server: string, source: string): TE.TaskEither<RegistryError, O.Option<Credentials>> =>
  async () => {
    const program = `docker-credential-${name}`;
    const result = await run(program, server);
    const fail = (reason: string) => ({ _tag: "Left" as const, left: { _tag: "Credentials" as const, source, reason } });
    if (result.spawnError !== undefined) return fail(`${program} could not be run (${result.spawnError}); is it on PATH?`);
    if (result.code !== 0) {
      if (/credentials not found/i.test(result.stdout + result.stderr)) return { _tag: "Right", right: O.none };
      return fail(`${program} get exited ${result.code ?? "on a signal"}`);
    }
    try {
      const answer = JSON.parse(result.stdout) as { readonly Username?: unknown; readonly Secret?: unknown };
      if (typeof answer.Username !== "string" || typeof answer.Secret !== "string") return fail(`${program} get printed JSON without Username and Secret strings`);
      return { _tag: "Right", right: O.some({ username: answer.Username, password: answer.Secret }) };
    } catch {
      return fail(`${program} get did not print JSON`);
    }
  };
