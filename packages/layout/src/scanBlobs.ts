import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { Dirent } from "node:fs";
import * as path from "node:path";
import { digestFromHex } from "@ocistage/oci";
import type { Digest, DigestAlgorithm } from "@ocistage/oci";
import type { LayoutIOError } from "./LayoutError.ts";
import type { LayoutIssue, StrayReason } from "./LayoutIssue.ts";
import { atFile } from "./LayoutLocation.ts";
import type { LayoutLocation } from "./LayoutLocation.ts";
import { hashFile, inspectPath, listDir } from "./layoutFs.ts";

/** A blob file re-hashed: the digest its name claims, and the one its bytes have. */
export interface ScannedBlob {
  readonly at: LayoutLocation;
  readonly named: Digest;
  readonly actual: Digest;
  readonly size: number;
}

export interface BlobScan {
  /** By the digest in the file name. */
  readonly blobs: ReadonlyMap<Digest, ScannedBlob>;
  /** Entries under `blobs/` that are not blobs. */
  readonly issues: readonly LayoutIssue[];
}

type Found = { readonly _tag: "Blob"; readonly blob: ScannedBlob } | { readonly _tag: "Stray"; readonly issue: LayoutIssue };

const stray = (at: string, reason: StrayReason): Found => ({
  _tag: "Stray",
  issue: { _tag: "StrayBlobEntry", at: atFile(at), reason },
});

const algorithms: readonly DigestAlgorithm[] = ["sha256", "sha512"];

const isAlgorithm = (name: string): name is DigestAlgorithm => (algorithms as readonly string[]).includes(name);

/**
 * Re-hashes every file under `blobs/<algorithm>/` (sequentially, streaming) and notes every entry
 * that does not belong there. A missing `blobs/` yields an empty scan; the walk reports it.
 */
export const scanBlobs = (dir: string): TE.TaskEither<LayoutIOError, BlobScan> =>
  pipe(
    listDir(path.join(dir, "blobs")),
    TE.map(O.getOrElse((): readonly Dirent[] => [])),
    TE.chain(TE.traverseSeqArray(scanTopEntry(dir))),
    TE.map((groups) => {
      const found = groups.flat();
      const blobs = new Map<Digest, ScannedBlob>();
      const issues: LayoutIssue[] = [];
      for (const f of found) {
        if (f._tag === "Blob") blobs.set(f.blob.named, f.blob);
        else issues.push(f.issue);
      }
      return { blobs, issues };
    }),
  );

const scanTopEntry =
  (dir: string) =>
  (entry: Dirent): TE.TaskEither<LayoutIOError, readonly Found[]> => {
    const at = `blobs/${entry.name}`;
    if (!entry.isDirectory()) return TE.right([stray(at, "outside-algorithm-directory")]);
    if (!isAlgorithm(entry.name)) return TE.right([stray(at, "unsupported-algorithm")]);
    const algorithm = entry.name;
    return pipe(
      listDir(path.join(dir, "blobs", algorithm)),
      TE.map(O.getOrElse((): readonly Dirent[] => [])),
      TE.chain(TE.traverseSeqArray((blob) => scanBlobEntry(dir, algorithm, blob))),
    );
  };

// A symlink to a regular file counts as that file, as it does for `readLayout`, which stats blobs.
const isRegularFile = (file: string, entry: Dirent): TE.TaskEither<LayoutIOError, boolean> =>
  entry.isFile()
    ? TE.right(true)
    : entry.isSymbolicLink()
      ? pipe(
          inspectPath(file),
          TE.map((state) => state._tag === "File"),
        )
      : TE.right(false);

const scanBlobEntry = (dir: string, algorithm: DigestAlgorithm, entry: Dirent): TE.TaskEither<LayoutIOError, Found> => {
  const at = `blobs/${algorithm}/${entry.name}`;
  const file = path.join(dir, "blobs", algorithm, entry.name);
  return pipe(
    isRegularFile(file, entry),
    TE.chain((regular) => {
      if (!regular) return TE.right(stray(at, "not-a-regular-file"));
      const named = digestFromHex(algorithm, entry.name);
      if (E.isLeft(named)) return TE.right(stray(at, "name-not-a-digest"));
      return pipe(
        hashFile(file, algorithm),
        TE.map((hashed): Found => ({
          _tag: "Blob",
          blob: { at: atFile(at), named: named.right, actual: hashed.digest, size: hashed.size },
        })),
      );
    }),
  );
};
