import { promises as fs } from "node:fs";
import * as path from "node:path";
import { blobPath } from "@ocistage/oci";
import type { Digest } from "@ocistage/oci";

/**
 * Where pulled blobs go: a layout folder's `blobs/<alg>/<hex>`, each written to a temporary file
 * inside the folder (named by `temporary`, so the folder's owner can clean up after a killed
 * pull) and renamed to its digest once whole and verified.
 */
export interface BlobSink {
  readonly dir: string;
  readonly temporary: (what: string) => string;
}

export const sinkPath = (sink: BlobSink, digest: Digest): string => path.join(sink.dir, ...blobPath(digest).split("/"));

/** A blob already in the folder with the right size is kept, as the build does. */
export const hasBlob = async (sink: BlobSink, digest: Digest, size: number): Promise<boolean> => {
  const stat = await fs.lstat(sinkPath(sink, digest)).catch(() => undefined);
  return stat !== undefined && stat.isFile() && stat.size === size;
};

/** Writes bytes already verified (a manifest) by temporary file and rename. */
export const putVerifiedBytes = async (sink: BlobSink, digest: Digest, bytes: Uint8Array): Promise<void> => {
  if (await hasBlob(sink, digest, bytes.length)) return;
  const target = sinkPath(sink, digest);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = sink.temporary("blob");
  await fs.writeFile(temporary, bytes);
  await fs.rename(temporary, target);
};
