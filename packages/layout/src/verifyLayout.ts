import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { LayoutIOError } from "./LayoutError.ts";
import type { LayoutIssue } from "./LayoutIssue.ts";
import { scanBlobs } from "./scanBlobs.ts";
import type { BlobScan } from "./scanBlobs.ts";
import type { BlobProbe } from "./readBlob.ts";
import { walkLayout } from "./walkLayout.ts";

const scanProbe =
  (scan: BlobScan): BlobProbe =>
  (digest) =>
    TE.right(
      pipe(
        O.fromNullable(scan.blobs.get(digest)),
        O.map((blob) => ({ size: blob.size, digest: O.some(blob.actual) })),
      ),
    );

/**
 * A corrupt blob reached through a descriptor is reported there (with the path that leads to it);
 * one nothing refers to is reported under its own file name.
 */
const unreferencedCorruption = (scan: BlobScan, touched: ReadonlySet<string>): readonly LayoutIssue[] =>
  [...scan.blobs.values()]
    .filter((blob) => blob.actual !== blob.named && !touched.has(blob.named))
    .map((blob): LayoutIssue => ({ _tag: "DigestMismatch", at: blob.at, expected: blob.named, actual: blob.actual }));

/**
 * Verifies an image layout and returns every issue (an empty list means it verified clean):
 *
 * - re-hashes every blob under `blobs/sha256` (and `blobs/sha512`) against its file name, streaming;
 * - checks `oci-layout`, `index.json` and every descriptor reachable from it: the blob exists, its
 *   size and digest match, its media type is known and agrees with the document's own `mediaType`;
 * - checks each image config's `rootfs.diff_ids` against the manifest's layers;
 * - notes every entry under `blobs/` that is not a blob.
 *
 * Fails only when the file system does (permissions, I/O): a missing file is an issue, not an error.
 */
export const verifyLayout = (dir: string): TE.TaskEither<LayoutIOError, readonly LayoutIssue[]> =>
  pipe(
    scanBlobs(dir),
    TE.chain((scan) =>
      pipe(
        walkLayout(dir, scanProbe(scan)),
        TE.map((walked) => [
          ...walked.issues,
          ...scan.issues,
          ...unreferencedCorruption(scan, new Set<string>(walked.touched)),
        ]),
      ),
    ),
  );
