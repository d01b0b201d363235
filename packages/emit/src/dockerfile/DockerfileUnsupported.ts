import type { DockerfileIssue } from "./DockerfileIssue.ts";

// Why a program has no Dockerfile: every issue, none stopping the others.
export interface DockerfileUnsupported {
  readonly _tag: "DockerfileUnsupported";
  readonly issues: readonly DockerfileIssue[];
}
