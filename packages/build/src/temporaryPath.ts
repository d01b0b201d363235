import * as path from "node:path";

// Temporaries of a build live inside the output folder (never beside it, never in
// blobs/sha256), named by the builder's pid so a later build can tell a dead build's leftovers
// from a running build's files.

/** Matches a temporary's name; group 1 is the pid of the build that made it. */
export const TEMPORARY_NAME = /^\.ocistage-tmp-(\d+)-/;

/** A fresh temporary path inside the layout `out` for `what` (a blob, index.json, the archive). */
export const temporaryPath = (out: string, what: string): string =>
  path.join(out, `.ocistage-tmp-${process.pid}-${what}-${Math.random().toString(36).slice(2, 10)}`);
