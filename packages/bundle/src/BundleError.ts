import { absurd } from "fp-ts/lib/function.js";

/**
 * Everything writing a runtime bundle can fail with, as data.
 * - `BadLayer`: a layer's tar cannot be applied (a path with "..", a hard link to nothing, an
 *   entry type no file system has); names the layer digest and the entry. Exit 1.
 * - `BadImage`: the image cannot become a container (no command, a user its /etc/passwd does not
 *   know, a config that is not an image config). Exit 1.
 * - `OutputUnusable`: --out is something other than a bundle or an empty folder. Exit 1.
 * - `Io`: the machine failed reading or writing. Exit 3.
 */
export type BundleError =
  | { readonly _tag: "BadLayer"; readonly layer: string; readonly entry: string; readonly reason: string }
  | { readonly _tag: "BadImage"; readonly image: string; readonly reason: string }
  | { readonly _tag: "OutputUnusable"; readonly path: string; readonly reason: string }
  | { readonly _tag: "Io"; readonly path: string; readonly reason: string };

/** Thrown inside the unpacker and turned into a value at its edge: the layer is wrong, not the code. */
export class LayerProblem extends Error {
  constructor(
    readonly entry: string,
    readonly reason: string,
  ) {
    super(`${entry}: ${reason}`);
  }
}

export const formatBundleError = (error: BundleError): readonly string[] => {
  switch (error._tag) {
    case "BadLayer":
      return [`layer ${error.layer}: ${JSON.stringify(error.entry)}: ${error.reason}`];
    case "BadImage":
      return [`${error.image}: ${error.reason}`];
    case "OutputUnusable":
      return [`--out ${error.path}: ${error.reason}`];
    case "Io":
      return [`${error.path}: ${error.reason}`];
    default:
      return absurd(error);
  }
};

/** I/O failures exit 3; everything else is the input's fault and exits 1. */
export const isBundleEnvironmentError = (error: BundleError): boolean => error._tag === "Io";

export const reasonOf = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  return code === undefined ? e.message : `${code}: ${e.message.replace(/^[A-Z]+: /, "")}`;
};
