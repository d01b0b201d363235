import * as path from "node:path";
import type { ProcessResult } from "./runProcess.ts";
import { runProcess } from "./runProcess.ts";
import { cliEnv, runCli } from "./runCli.ts";

/**
 * `ocistage emit shell SPEC -o WORK/build.sh`, then the script run by dash into WORK/by-script:
 * what emit and the script returned, and the folder the script wrote (to compare with a build's).
 */
export const buildByShellScript = async (spec: string, work: string): Promise<{ readonly emitted: ProcessResult; readonly ran: ProcessResult; readonly target: string }> => {
  const script = path.join(work, "build.sh");
  const target = path.join(work, "by-script");
  const emitted = await runCli(["emit", "shell", spec, "-o", script]);
  const ran = emitted.code !== 0 ? emitted : await runProcess("dash", [script, target, spec], { env: cliEnv(), timeoutMs: 120_000 });
  return { emitted, ran, target };
};
