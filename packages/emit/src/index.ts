export { emitShell, shellStepCommands, shellUnsupported, SHELL_GNU_TAR_FIXED_ARGS, SHELL_GNU_TAR_PAX_ARGS } from "./shell/index.ts";
export { dockerfileSupport, emitDockerfile, formatDockerfileIssue } from "./dockerfile/index.ts";
export type { DockerContextLayer, DockerfileIssue, DockerfilePlan, DockerfileSupport, DockerfileUnsupported } from "./dockerfile/index.ts";
