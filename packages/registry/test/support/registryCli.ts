import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { ProcessResult } from "../../../build/test/support/runProcess.ts";
import { cliEnv, runCli } from "../../../build/test/support/runCli.ts";

/**
 * The CLI as a user runs it, in an environment whose credential sources are the test's own:
 * HOME is `home` (so ~/.docker/config.json is the test's), and REGISTRY_AUTH_FILE,
 * XDG_RUNTIME_DIR and DOCKER_CONFIG are unset unless `extra` sets them.
 */
export const registryCli = async (home: string, args: readonly string[], extra: Readonly<Record<string, string>> = {}): Promise<ProcessResult> => {
  await fs.mkdir(home, { recursive: true });
  const env = cliEnv({ HOME: home, ...extra });
  for (const name of ["REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR", "DOCKER_CONFIG"]) if (!(name in extra)) delete env[name];
  return runCli(args, { env });
};

/** The same, for runs that must succeed: throws with the CLI's stderr otherwise. */
export const registryCliOk = async (home: string, args: readonly string[], extra: Readonly<Record<string, string>> = {}): Promise<ProcessResult> => {
  const result = await registryCli(home, args, extra);
  if (result.code !== 0) throw new Error(`ocistage ${args.join(" ")} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
};

/** What `push --json` prints. */
export interface PushJson {
  readonly result: string;
  readonly credentials: string;
  readonly images: readonly {
    readonly reference: string;
    readonly digest: string;
    readonly mediaType: string;
    readonly blobs: readonly { readonly digest: string; readonly size: number; readonly result: string; readonly bytesSent: number; readonly mountedFrom?: string }[];
    readonly manifests: readonly { readonly digest: string; readonly result: string }[];
  }[];
  readonly summary: { readonly uploaded: number; readonly exists: number; readonly mounted: number; readonly bytesSent: number };
}

export const homeIn = (work: string): string => path.join(work, "home");
