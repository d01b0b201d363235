import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { createHash } from "node:crypto";
import type { Dirent, Stats } from "node:fs";
import { promises as fs } from "node:fs";
import type { Digest, DigestAlgorithm } from "@ocistage/oci";
import type { LayoutIOError } from "./LayoutError.ts";

/**
 * The file system operations layout reading needs, as TaskEithers. "Not there" is an answer
 * (`none`), not an error: a missing file is something wrong with the layout, reported as an issue;
 * only the remaining failures (EACCES, EIO, EMFILE…) are `LayoutIOError`s.
 */

const code = (e: unknown): string | undefined =>
  e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;

const isAbsent = (e: unknown): boolean => code(e) === "ENOENT" || code(e) === "ENOTDIR";

const ioError =
  (path: string, operation: LayoutIOError["operation"]) =>
  (e: unknown): LayoutIOError => ({
    _tag: "LayoutIOError",
    path,
    operation,
    reason: e instanceof Error ? e.message : String(e),
  });

const absentAsNone = async <A>(run: () => Promise<A>): Promise<O.Option<A>> => {
  try {
    return O.some(await run());
  } catch (e) {
    if (isAbsent(e)) return O.none;
    throw e;
  }
};

/** What is at a path, as far as a layout cares. Symlinks are followed, as `stat` does. */
export type PathState =
  | { readonly _tag: "Absent" }
  | { readonly _tag: "File"; readonly size: number }
  | { readonly _tag: "Directory" }
  | { readonly _tag: "Other" };

const stateOf = (stats: Stats): PathState =>
  stats.isFile()
    ? { _tag: "File", size: stats.size }
    : stats.isDirectory()
      ? { _tag: "Directory" }
      : { _tag: "Other" };

export const inspectPath = (path: string): TE.TaskEither<LayoutIOError, PathState> =>
  pipe(
    TE.tryCatch(() => absentAsNone(() => fs.stat(path)), ioError(path, "stat")),
    TE.map(O.match((): PathState => ({ _tag: "Absent" }), stateOf)),
  );

/** For files already known to exist (by `inspectPath`); one vanishing in between is an I/O error. */
export const readBytes = (path: string): TE.TaskEither<LayoutIOError, Uint8Array> =>
  TE.tryCatch(() => fs.readFile(path), ioError(path, "read"));

/** Entries sorted by name, so everything reported from a listing comes in a stable order. */
export const listDir = (path: string): TE.TaskEither<LayoutIOError, O.Option<readonly Dirent[]>> =>
  pipe(
    TE.tryCatch(() => absentAsNone(() => fs.readdir(path, { withFileTypes: true })), ioError(path, "list")),
    TE.map(O.map((entries) => [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))),
  );

/** A hash function's hex output is a well-formed encoded part by construction. */
export const digestOfHex = (algorithm: DigestAlgorithm, hex: string): Digest => `${algorithm}:${hex}` as Digest;

export const hashBytes = (algorithm: DigestAlgorithm, bytes: Uint8Array): Digest =>
  digestOfHex(algorithm, createHash(algorithm).update(bytes).digest("hex"));

export interface Hashed {
  readonly size: number;
  readonly digest: Digest;
}

// Layers can be gigabytes: read in 1 MiB chunks into one reused buffer, never the whole file.
const chunk = 1 << 20;

export const hashFile = (path: string, algorithm: DigestAlgorithm): TE.TaskEither<LayoutIOError, Hashed> =>
  TE.tryCatch(async () => {
    const hash = createHash(algorithm);
    const handle = await fs.open(path, "r");
    try {
      const buffer = Buffer.allocUnsafe(chunk);
      let size = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, chunk, null);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
        size += bytesRead;
      }
      return { size, digest: digestOfHex(algorithm, hash.digest("hex")) };
    } finally {
      await handle.close();
    }
  }, ioError(path, "hash"));
