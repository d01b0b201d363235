import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ProcessResult } from "../../../build/test/support/runProcess.ts";
import { runProcess } from "../../../build/test/support/runProcess.ts";
import { REPO_ROOT } from "../../../build/test/support/runCli.ts";

export const INSTALL_LAUNCHER = path.join(REPO_ROOT, "scripts/install-launcher");

// A PATH with node on it and no other `ocistage`: on a machine where scripts/setup already put
// one in /usr/local/bin (where node may live too), the launcher would find that one first.
const nodeOnlyPath = async (): Promise<string> => {
  const dir = path.join(os.tmpdir(), `ocistage-node-only-${process.pid}`);
  await fs.mkdir(dir, { recursive: true });
  await fs.symlink(process.execPath, path.join(dir, "node")).catch(() => undefined);
  return `${dir}:/usr/bin:/bin`;
};

/** Runs scripts/install-launcher with `OCISTAGE_BIN_DIR=binDir` and HOME=`home` (its fallback is home/.local/bin). */
export const installLauncher = async (binDir: string, home: string, extraPath = ""): Promise<ProcessResult> =>
  runProcess(INSTALL_LAUNCHER, [], {
    cwd: "/",
    env: { ...process.env, OCISTAGE_BIN_DIR: binDir, HOME: home, PATH: `${extraPath === "" ? "" : `${extraPath}:`}${await nodeOnlyPath()}` },
    timeoutMs: 120_000,
  });

/** The same PATH for running `ocistage` by name after an install into `binDir`. */
export const pathWith = async (binDir: string): Promise<string> => `${binDir}:${await nodeOnlyPath()}`;
