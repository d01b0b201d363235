// Everything a build can fail with, as data. `at` names the step (and entry) that failed so the
// message leads the user to the spec field or file; `path` is the file on disk when there is one.
export type BuildError =
  | { readonly _tag: "SourceMissing"; readonly at: string; readonly path: string; readonly reason: string }
  | { readonly _tag: "SourceUnsupported"; readonly at: string; readonly path: string; readonly kind: string; readonly inside: boolean } // inside a copied folder
  | { readonly _tag: "SourceWhiteout"; readonly at: string; readonly path: string }
  | { readonly _tag: "SourceChanged"; readonly at: string; readonly path: string; readonly reason: string }
  | { readonly _tag: "DestinationConflict"; readonly at: string; readonly destination: string; readonly reason: string }
  | { readonly _tag: "SymlinkLoop"; readonly at: string; readonly path: string }
  | { readonly _tag: "Io"; readonly at: string; readonly path: string; readonly reason: string }
  // The output folder cannot take a layout (a file, someone else's folder, another build's): the user's to fix.
  | { readonly _tag: "OutputUnusable"; readonly path: string; readonly reason: string }
  | { readonly _tag: "VerifyFailed"; readonly issues: readonly string[] };

export const formatBuildError = (error: BuildError): readonly string[] => {
  switch (error._tag) {
    case "SourceMissing":
      return [`${error.at}: source ${error.path} cannot be read (${error.reason})`];
    case "SourceUnsupported":
      return [`${error.at}: ${error.path} is a ${error.kind}; only files, folders and symlinks go into a layer${error.inside ? ` (leave it out with an exclude pattern on this copy, such as "dev/*")` : ""}`];
    case "SourceWhiteout":
      return [`${error.at}: ${error.path} has a name starting with ".wh.", which every runtime reads as a whiteout (an order to delete a file from the layers below), not as a file; rename it, or leave it out with an exclude pattern on this copy`];
    case "SourceChanged":
      return [`${error.at}: ${error.path} changed while it was being read (${error.reason})`];
    case "DestinationConflict":
      return [`${error.at}: /${error.destination}: ${error.reason}`];
    case "SymlinkLoop":
      return [`${error.at}: ${error.path} is part of a symlink loop`];
    case "Io":
      return [`${error.at}: ${error.path}: ${error.reason}`];
    case "OutputUnusable":
      return [`--out ${error.path}: ${error.reason}`];
    case "VerifyFailed":
      return error.issues;
  }
};

// Environment failures (I/O) exit 3; everything else is the input's fault and exits 1.
export const isEnvironmentError = (error: BuildError): boolean => error._tag === "Io";

// One line for a thrown I/O error: the errno code and the first line of the message.
export { reasonOf } from "@ocistage/tar";
