import type { BuildError } from "../BuildError.ts";
import { formatBuildError, isEnvironmentError } from "../BuildError.ts";

// Everything writing a build context can fail with, as data.
export type DockerContextError =
  | { readonly _tag: "ContextNotOurs"; readonly path: string; readonly found: string }
  | { readonly _tag: "ContextOverlapsSource"; readonly path: string; readonly at: string; readonly source: string; readonly inside: "context" | "source" }
  | { readonly _tag: "ContextNameClash"; readonly name: string; readonly layers: readonly string[] }
  | { readonly _tag: "OwnerNotCarried"; readonly at: string; readonly path: string; readonly found: string; readonly expected: string }
  | { readonly _tag: "Build"; readonly error: BuildError }
  | { readonly _tag: "Io"; readonly path: string; readonly reason: string };

export const formatDockerContextError = (error: DockerContextError): readonly string[] => {
  switch (error._tag) {
    case "ContextNotOurs":
      return [`--context: expected a new or empty folder, or one an earlier emit dockerfile wrote, found ${error.found} at ${error.path}; choose another folder or remove it`];
    case "ContextOverlapsSource":
      return error.inside === "context"
        ? [`--context: ${error.path} lies inside ${error.source}, which ${error.at} copies into the image; writing there would change the layer's own input`]
        : [`--context: ${error.source}, which ${error.at} copies into the image, lies inside ${error.path}, which would be replaced`];
    case "ContextNameClash":
      return [`--context: layers ${error.layers.join(" and ")} would both be written to ${error.name}`];
    case "OwnerNotCarried":
      return [`${error.at}: /${error.path} is owned by ${error.found}, but the Dockerfile's COPY gives the layer ${error.expected}; the copied folder holds folders the spec's entries did not show`];
    case "Build":
      return formatBuildError(error.error);
    case "Io":
      return [`${error.path}: ${error.reason}`];
  }
};

// I/O failures exit 3; everything else is the input's fault and exits 1.
export const isContextEnvironmentError = (error: DockerContextError): boolean =>
  error._tag === "Io" || (error._tag === "Build" && isEnvironmentError(error.error));
