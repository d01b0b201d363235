import { absurd } from "fp-ts/lib/function.js";
import { formatLayoutIssue } from "./formatLayoutIssue.ts";
import type { LayoutIssue } from "./LayoutIssue.ts";

/**
 * The file system failed us (permissions, I/O, too many open files): an environment problem, not a
 * problem with the layout. Missing files are not this; they are `LayoutIssue`s.
 */
export interface LayoutIOError {
  readonly _tag: "LayoutIOError";
  readonly path: string;
  readonly operation: "stat" | "read" | "list" | "hash";
  readonly reason: string;
}

/** The layout is wrong; every issue found is listed. */
export interface InvalidLayout {
  readonly _tag: "InvalidLayout";
  readonly issues: readonly LayoutIssue[];
}

export type LayoutError = LayoutIOError | InvalidLayout;

export const formatLayoutError = (error: LayoutError): readonly string[] => {
  switch (error._tag) {
    case "LayoutIOError":
      return [`${error.path}: could not ${error.operation}: ${error.reason}`];
    case "InvalidLayout":
      return error.issues.map(formatLayoutIssue);
    default:
      return absurd(error);
  }
};
