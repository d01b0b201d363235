import { ExitCode } from "./ExitCode.ts";

// errno codes that say the machine failed, not the file: the disk, the quota, the process's
// limits, a read-only mount. Anything else met while reading an input (ENOENT, ENOTDIR, EISDIR,
// EACCES, ELOOP, …) is the input's fault and the user fixes it by fixing the input, as a build
// does for an unreadable source file.
const ENVIRONMENT_CODES: ReadonlySet<string> = new Set(["EIO", "ENOSPC", "EDQUOT", "EMFILE", "ENFILE", "ENOMEM", "EROFS", "EBUSY", "ETIMEDOUT", "ESTALE"]);

/**
 * The exit code for a failure to read an input, from Node's reason text (`EIO: i/o error, read`):
 * 3 when the errno code is an environment failure, 1 otherwise (a reason without a code too).
 */
export const inputReadExitCode = (reason: string): ExitCode => {
  const code = /^([A-Z][A-Z0-9]+):/.exec(reason)?.[1];
  return code !== undefined && ENVIRONMENT_CODES.has(code) ? ExitCode.environment : ExitCode.badInput;
};
