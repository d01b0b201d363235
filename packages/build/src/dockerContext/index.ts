export * from "./DockerContextError.ts";
export * from "./DockerContextRequest.ts";
export { writeDockerContext } from "./writeDockerContext.ts";
