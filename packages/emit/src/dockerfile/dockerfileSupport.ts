import type { Program } from "@ocistage/program";
import { formatDockerfileIssue } from "./DockerfileIssue.ts";
import { emitDockerfile } from "./emitDockerfile.ts";

export type DockerfileSupport = { readonly supported: true } | { readonly supported: false; readonly reasons: readonly string[] };

// Whether `emit dockerfile` can carry this program, and if not, one `field: why` line per reason.
// It runs the emitter itself, so the answer and the emitter never disagree.
export const dockerfileSupport = (program: Program): DockerfileSupport => {
  const result = emitDockerfile(program);
  return result._tag === "Right" ? { supported: true } : { supported: false, reasons: result.left.issues.map(formatDockerfileIssue) };
};
