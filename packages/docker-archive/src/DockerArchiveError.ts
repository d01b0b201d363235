import { absurd } from "fp-ts/lib/function.js";
import type { BuildError } from "@ocistage/build";
import { formatBuildError, isEnvironmentError } from "@ocistage/build";

/**
 * Everything reading, converting or writing a docker-archive can fail with, as data.
 * - `Invalid`: the archive is wrong (missing manifest.json, a layer whose digest is not its
 *   diff_id, a path escaping the archive…); `issues` are lines, each led by the member or field.
 *   Exit 1.
 * - `Unreadable`: the archive (or a layout blob) cannot be read because it is missing, not a
 *   file, not a tar: the input's fault, exit 1.
 * - `Io`: the machine failed reading or writing (exit 3).
 * - `Output`: opening, filling or publishing the output layout failed (the build's own errors).
 */
export type DockerArchiveError =
  | { readonly _tag: "Invalid"; readonly file: string; readonly issues: readonly string[] }
  | { readonly _tag: "Unreadable"; readonly file: string; readonly reason: string }
  | { readonly _tag: "Io"; readonly path: string; readonly reason: string }
  | { readonly _tag: "Output"; readonly error: BuildError };

export const invalidArchive = (file: string, issues: readonly string[]): DockerArchiveError => ({ _tag: "Invalid", file, issues });

/** One line per issue, each naming the archive file. */
export const formatDockerArchiveError = (error: DockerArchiveError): readonly string[] => {
  switch (error._tag) {
    case "Invalid":
      return error.issues.map((issue) => `${error.file}: ${issue}`);
    case "Unreadable":
      return [`${error.file}: ${error.reason}`];
    case "Io":
      return [`${error.path}: ${error.reason}`];
    case "Output":
      return formatBuildError(error.error);
    default:
      return absurd(error);
  }
};

/** I/O failures exit 3; a wrong or unreadable archive is the input's fault and exits 1. */
export const isDockerArchiveEnvironmentError = (error: DockerArchiveError): boolean =>
  error._tag === "Io" || (error._tag === "Output" && isEnvironmentError(error.error));
