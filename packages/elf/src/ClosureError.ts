import type { ElfError } from "./ElfError.ts";
import { formatElfError } from "./ElfError.ts";

/** Why a program's closure could not be resolved; each names the program. */
export type ClosureError =
  | { readonly _tag: "ClosureElf"; readonly program: string; readonly error: ElfError }
  | { readonly _tag: "MissingLibrary"; readonly program: string; readonly name: string; readonly neededBy: string; readonly searched: readonly string[] }
  | { readonly _tag: "SymlinkLoop"; readonly program: string; readonly path: string }
  | { readonly _tag: "ClosureUnsupported"; readonly program: string; readonly file: string; readonly message: string };

/** One line naming the program and what went wrong. */
export const formatClosureError = (error: ClosureError): string => {
  switch (error._tag) {
    case "ClosureElf":
      return error.error.file === error.program ? formatElfError(error.error) : `closure of ${error.program}: ${formatElfError(error.error)}`;
    case "MissingLibrary":
      return `closure of ${error.program}: ${error.name} (needed by ${error.neededBy}) is not found in ${error.searched.join(", ") || "any folder"}`;
    case "SymlinkLoop":
      return `closure of ${error.program}: too many symlinks (a loop?) from ${error.path}`;
    case "ClosureUnsupported":
      return `closure of ${error.program}: ${error.file}: ${error.message}`;
  }
};
