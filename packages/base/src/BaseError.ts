/**
 * Why a base image could not be named or read. `from` is the spec's text; every message names it
 * and, where one is at fault, the file or blob.
 */
export type BaseError =
  | { readonly _tag: "BadReference"; readonly from: string; readonly reason: string }
  | { readonly _tag: "Unreadable"; readonly from: string; readonly file: string; readonly reason: string }
  | { readonly _tag: "Invalid"; readonly from: string; readonly reason: string }
  | { readonly _tag: "NoSuchImage"; readonly from: string; readonly reason: string }
  | { readonly _tag: "Unsupported"; readonly from: string; readonly reason: string };

/** One line: `"oci:../base": <what was wrong>` (the caller puts the spec field before it). */
export const formatBaseError = (e: BaseError): string => {
  const head = JSON.stringify(e.from);
  switch (e._tag) {
    case "BadReference":
      return `${head}: ${e.reason}`;
    case "Unreadable":
      return `${head}: cannot read ${e.file}: ${e.reason}`;
    case "Invalid":
    case "NoSuchImage":
    case "Unsupported":
      return `${head}: ${e.reason}`;
  }
};
