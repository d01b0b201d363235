import * as path from "node:path";
import type { ProcessResult } from "../../../build/test/support/runProcess.ts";
import { runProcess } from "../../../build/test/support/runProcess.ts";
import { REPO_ROOT } from "../../../build/test/support/runCli.ts";

export const INSTALL_LAUNCHER = path.join(REPO_ROOT, "scripts/install-launcher");

/** Runs scripts/install-launcher with `OCISTAGE_BIN_DIR=binDir` and HOME=`home` (its fallback is home/.local/bin). */
export const installLauncher = (binDir: string, home: string, extraPath = ""): Promise<ProcessResult> =>
  runProcess(INSTALL_LAUNCHER, [], {
    cwd: "/",
    env: { ...process.env, OCISTAGE_BIN_DIR: binDir, HOME: home, PATH: `${extraPath === "" ? "" : `${extraPath}:`}${process.env["PATH"] ?? ""}` },
    timeoutMs: 120_000,
  });
