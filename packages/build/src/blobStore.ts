import * as TE from "fp-ts/lib/TaskEither.js";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";

// A blob as the layout records it: its sha256 and its length in bytes.
export interface StoredBlob {
  readonly digest: string; // "sha256:<hex>"
  readonly size: number;
}

export const blobsDir = (layout: string): string => path.join(layout, "blobs", "sha256");
export const blobFile = (layout: string, digest: string): string => path.join(blobsDir(layout), digest.replace(/^sha256:/, ""));

const io = (at: string, file: string) => (e: unknown): BuildError => ({ _tag: "Io", at, path: file, reason: reasonOf(e) });

// Content-addressed and idempotent: written to a temporary name, then renamed to its digest,
// so the store never holds a file whose name is not its content's hash.
export const putBlobBytes = (layout: string, bytes: Uint8Array, at: string): TE.TaskEither<BuildError, StoredBlob> => {
  const hex = createHash("sha256").update(bytes).digest("hex");
  const final = path.join(blobsDir(layout), hex);
  const temporary = path.join(layout, `.tmp-blob-${hex}`);
  return TE.tryCatch(
    async () => {
      await fs.mkdir(blobsDir(layout), { recursive: true });
      await fs.writeFile(temporary, bytes);
      await fs.rename(temporary, final);
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
      await fs.mkdir(blobsDir(layout), { recursive: true });
      await fs.rename(temporary, final);
      return blob;
    },
    io(at, final),
  );
};

// Re-hash every blob against its file name (the verify-blobs step): streaming, 1 MiB reads.
export const rehashBlobs = (layout: string): TE.TaskEither<BuildError, readonly string[]> =>
  TE.tryCatch(
    async () => {
      const problems: string[] = [];
      const dir = blobsDir(layout);
      for (const name of (await fs.readdir(dir)).sort()) {
        const hash = createHash("sha256");
        const handle = await fs.open(path.join(dir, name), "r");
        try {
          const buffer = Buffer.allocUnsafe(1 << 20);
          for (;;) {
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
            if (bytesRead === 0) break;
            hash.update(buffer.subarray(0, bytesRead));
          }
        } finally {
          await handle.close();
        }
        const actual = hash.digest("hex");
        if (actual !== name) problems.push(`verify-blobs: blobs/sha256/${name} hashes to sha256:${actual}`);
      }
      return problems;
    },
    io("verify-blobs", blobsDir(layout)),
  );
