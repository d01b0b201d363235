import type { Program } from "@ocistage/program";
import { formatDockerfileIssue } from "./DockerfileIssue.ts";
import { emitDockerfile } from "./emitDockerfile.ts";

export type DockerfileSupport = { readonly supported: true } | { readonly supported: false; readonly reasons: readonly string[] };

// Whether `emit dockerfile` can carry every image of this program (one Dockerfile each, with
// --image ID where there are several), and if not, one `field: why` line per reason, led by the
// image's id where there are several. It runs the emitter itself, so the answer and the emitter
// never disagree.
export const dockerfileSupport = (program: Program): DockerfileSupport => {
  const several = program.images.length > 1;
  const reasons = program.images.flatMap((image) => {
    const result = emitDockerfile(program, image.id);
    return result._tag === "Right" ? [] : result.left.issues.map((issue) => `${several ? `${image.id}: ` : ""}${formatDockerfileIssue(issue)}`);
  });
  return reasons.length === 0 ? { supported: true } : { supported: false, reasons };
};
