export type { DockerfileIssue } from "./DockerfileIssue.ts";
export { formatDockerfileIssue } from "./DockerfileIssue.ts";
export type { DockerfileUnsupported } from "./DockerfileUnsupported.ts";
export type { DockerContextLayer, DockerfilePlan } from "./DockerfilePlan.ts";
export type { DockerfileSupport } from "./dockerfileSupport.ts";
export { dockerfileSupport } from "./dockerfileSupport.ts";
export { emitDockerfile } from "./emitDockerfile.ts";
