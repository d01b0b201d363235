import * as E from "fp-ts/lib/Either.js";
import { createHash } from "node:crypto";
import { createWriteStream, promises as fs } from "node:fs";
import { once } from "node:events";
import type { Transform } from "node:stream";
import { finished } from "node:stream/promises";
import { layerDecompressor } from "@ocistage/layout";
import { MediaType } from "@ocistage/oci";
import type { Digest } from "@ocistage/oci";

/** A layer member copied byte for byte into a file: the digest and size of the stored bytes, the diff_id of the tar they hold. */
export interface StoredLayer {
  readonly digest: Digest;
  readonly size: number;
  readonly diffId: Digest;
  readonly mediaType: string; // the OCI layer media type of the stored bytes
}

// The compression a layer member is stored with, from its first bytes: Docker writes plain tars,
// other tools (nix dockerTools, docker save of a containerd store) gzip or zstd ones.
const mediaTypeOf = (head: Uint8Array): string =>
  head[0] === 0x1f && head[1] === 0x8b ? MediaType.layerTarGzip : head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd ? MediaType.layerTarZstd : MediaType.layerTar;

const write = async (stream: NodeJS.WritableStream & { write: (chunk: Buffer) => boolean }, chunk: Buffer): Promise<void> => {
  if (!stream.write(chunk)) await once(stream, "drain");
};

/**
 * Copies a member's bytes into `file`, hashing them (the blob digest) and, for a compressed
 * member, its decompressed tar too (the diff_id), in one read. Left: why the member's data is
 * not a layer that can be read (a broken gzip or zstd stream).
 */
export const storeLayerMember = async (data: AsyncIterable<Buffer>, file: string): Promise<E.Either<string, StoredLayer>> => {
  const stored = createHash("sha256");
  const diff = createHash("sha256");
  const out = createWriteStream(file);
  let mediaType: string | undefined;
  let decompress: Transform | undefined;
  let broken: Error | undefined; // the decompressor failed: the rest is still read (the archive goes on), not decompressed
  let size = 0;
  try {
    for await (const chunk of data) {
      if (mediaType === undefined) {
        mediaType = mediaTypeOf(chunk);
        if (mediaType !== MediaType.layerTar) {
          const make = layerDecompressor(mediaType);
          if (E.isLeft(make)) throw new Error(`bug: no decompressor for ${mediaType}`);
          decompress = make.right();
          decompress.on("data", (c: Buffer) => void diff.update(c));
          decompress.on("error", (e) => (broken ??= e));
        }
      }
      stored.update(chunk);
      size += chunk.length;
      await write(out, chunk);
      if (decompress === undefined) diff.update(chunk);
      else if (broken === undefined && !decompress.write(chunk)) await Promise.race([once(decompress, "drain"), once(decompress, "close")]);
    }
    out.end();
    await finished(out);
    if (decompress !== undefined && broken === undefined) await finished(decompress.end()).catch((e: unknown) => (broken ??= e as Error));
  } finally {
    out.destroy();
  }
  if (broken !== undefined) return E.left(`is not a readable ${mediaType === MediaType.layerTarGzip ? "gzip" : "zstd"} stream (${broken.message})`);
  const digest = `sha256:${stored.digest("hex")}` as Digest;
  return E.right({ digest, size, diffId: decompress === undefined ? digest : (`sha256:${diff.digest("hex")}` as Digest), mediaType: mediaType ?? MediaType.layerTar });
};

/** Removes a file if it is there (cleanup after a failure). */
export const removeQuietly = (file: string): Promise<void> => fs.rm(file, { force: true }).catch(() => undefined);
