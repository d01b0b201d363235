import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import { hashFile as hashLayoutFile } from "@ocistage/layout";
import { digestHex } from "@ocistage/oci";
import * as TE from "fp-ts/lib/TaskEither.js";
import { createHash } from "node:crypto";
import { constants, promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";
import { temporaryPath } from "./temporaryPath.ts";

// A blob as the layout records it: its sha256 and its length in bytes.
export interface StoredBlob {
  readonly digest: string; // "sha256:<hex>"
  readonly size: number;
}

export const blobsDir = (layout: string): string => path.join(layout, "blobs", "sha256");
export const blobHex = (digest: string): string => digest.replace(/^sha256:/, "");
export const blobFile = (layout: string, digest: string): string => path.join(blobsDir(layout), blobHex(digest));

const io = (at: string, file: string) => (e: unknown): BuildError => ({ _tag: "Io", at, path: file, reason: reasonOf(e) });

// A blob already in the store is kept (its name is its content): only its size is checked, so a
// truncated file left by hand is replaced rather than trusted.
const isBlobOfSize = async (file: string, size: number): Promise<boolean> => {
  const stat = await fs.lstat(file).catch(() => undefined);
  return stat !== undefined && stat.isFile() && stat.size === size;
};

// Content-addressed and idempotent: written to a temporary name, then renamed to its digest,
// so the store never holds a file whose name is not its content's hash.
export const putBlobBytes = (layout: string, bytes: Uint8Array, at: string): TE.TaskEither<BuildError, StoredBlob> => {
  const hex = createHash("sha256").update(bytes).digest("hex");
  const final = path.join(blobsDir(layout), hex);
  return TE.tryCatch(
    async () => {
      if (!(await isBlobOfSize(final, bytes.byteLength))) {
        const temporary = temporaryPath(layout, "blob");
        await fs.writeFile(temporary, bytes);
        await fs.rename(temporary, final);
      }
      return { digest: `sha256:${hex}`, size: bytes.byteLength };
    },
    io(at, final),
  );
};

// Moves a finished temporary file (whose digest the writer computed while streaming) into the store.
export const adoptBlobFile = (layout: string, temporary: string, blob: StoredBlob, at: string): TE.TaskEither<BuildError, StoredBlob> => {
  const final = blobFile(layout, blob.digest);
  return TE.tryCatch(
    async () => {
      if (await isBlobOfSize(final, blob.size)) await fs.rm(temporary, { force: true });
      else await fs.rename(temporary, final);
      return blob;
    },
    io(at, final),
  );
};

// Copies `from` to `to` through a temporary (a reflink where the file system makes one, so no
// byte is read or written there). Never a hard link: two output folders sharing an inode would
// see each other's link count, and so ctime, change under a build reading the blob.
const copyBlob = async (from: string, to: string, temporary: string): Promise<void> => {
  await fs.copyFile(from, temporary, constants.COPYFILE_FICLONE);
  await fs.rename(temporary, to);
};

// Takes a blob into this layout without tarring it again: it is there already, or it is copied
// from another layout that holds it (`elsewhere`: where a cache record saw it last).
// `none` when no candidate has a file of the expected size (removed or damaged by hand): the
// caller then builds it again.
export const reuseBlob = (elsewhere: readonly string[], layout: string, blob: StoredBlob, at: string): TE.TaskEither<BuildError, O.Option<StoredBlob>> => {
  const target = blobFile(layout, blob.digest);
  return TE.tryCatch(
    async () => {
      if (await isBlobOfSize(target, blob.size)) return O.some(blob);
      for (const other of elsewhere) {
        const source = blobFile(other, blob.digest);
        if (path.resolve(other) === path.resolve(layout) || !(await isBlobOfSize(source, blob.size))) continue;
        const temporary = temporaryPath(layout, "blob");
        try {
          await copyBlob(source, target, temporary);
        } catch (e) {
          // The other folder's build removed it meanwhile: build it here instead.
          await fs.rm(temporary, { force: true });
          if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
          throw e;
        }
        return O.some(blob);
      }
      return O.none;
    },
    io(at, target),
  );
};

// sha256 of a file (hex), with the layout package's hasher: one blob hasher for verify and build.
export const hashFile = async (file: string): Promise<string> => {
  const hashed = await hashLayoutFile(file, "sha256")();
  if (E.isLeft(hashed)) throw new Error(`${hashed.left.path}: ${hashed.left.reason}`);
  return digestHex(hashed.right.digest);
};

// What verify-blobs knows of a blob before looking at it.
export type BlobOrigin =
  // Written by this build, which hashed it while writing it: it is hashed again from the file.
  | { readonly _tag: "Written" }
  // Taken unread from the previous build because a cache record names it: its size is checked
  // against the record (`ocistage verify` re-hashes everything).
  | { readonly _tag: "Reused"; readonly size: number };

// The verify-blobs step: every blob the new index.json reaches is checked, each problem one line. Blobs
// the archive step read (`archived`: name → the hash of the bytes it archived) are checked
// against that, so the layer data is read once for both; any other written blob, or a file
// nobody accounts for, is hashed now.
export const verifyBlobs = (
  layout: string,
  referenced: ReadonlySet<string>,
  origins: ReadonlyMap<string, BlobOrigin>,
  archived: ReadonlyMap<string, string>,
  hash: (file: string) => Promise<string>,
): TE.TaskEither<BuildError, readonly string[]> =>
  TE.tryCatch(
    async () => {
      const dir = blobsDir(layout);
      const problems: string[] = [];
      for (const name of [...referenced].sort()) {
        const file = path.join(dir, name);
        if ((await fs.lstat(file).catch(() => undefined)) === undefined) {
          problems.push(`verify-blobs: blobs/sha256/${name} is missing`);
          continue;
        }
        const origin = origins.get(name);
        const seen = archived.get(name);
        if (origin?._tag === "Reused" && seen === undefined) {
          const { size } = await fs.lstat(file);
          if (size !== origin.size) problems.push(`verify-blobs: blobs/sha256/${name} has ${size} bytes, its cache record says ${origin.size}`);
          continue;
        }
        const actual = seen ?? (await hash(file));
        if (actual !== name) problems.push(`verify-blobs: blobs/sha256/${name} hashes to sha256:${actual}`);
      }
      return problems;
    },
    io("verify-blobs", blobsDir(layout)),
  );
