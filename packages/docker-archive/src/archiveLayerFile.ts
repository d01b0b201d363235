import * as E from "fp-ts/lib/Either.js";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { isUncompressedLayer, openLayerTar } from "@ocistage/layout";
import type { BlobNode } from "@ocistage/layout";
import type { Digest } from "@ocistage/oci";

/** Where a layer's uncompressed tar is on disk, for the archive: the blob itself, or a decompressed copy. */
export interface LayerTarFile {
  readonly file: string;
  readonly size: number;
  readonly temporary: boolean; // a decompressed copy, removed once the archive is written
}

/**
 * The uncompressed tar of a layer blob as a file. A plain tar layer is its blob; a compressed
 * one (tar+gzip, tar+zstd: the media type says which, layerStream.ts decompresses) is
 * decompressed into `temporary`, and what comes out must hash to the config's diff_id.
 * Left: why not (a media type that is not a layer, a broken stream, a wrong diff_id).
 */
export const layerTarFile = async (layer: BlobNode, diffId: Digest, temporary: string): Promise<E.Either<string, LayerTarFile>> => {
  const { mediaType, size } = layer.descriptor;
  if (isUncompressedLayer(mediaType)) return E.right({ file: layer.path, size, temporary: false });
  const tar = openLayerTar(layer.path, mediaType);
  if (E.isLeft(tar)) return tar;
  const hash = createHash("sha256");
  let written = 0;
  tar.right.on("data", (chunk: Buffer) => {
    hash.update(chunk);
    written += chunk.length;
  });
  try {
    await pipeline(tar.right, createWriteStream(temporary));
  } catch (e) {
    return E.left(`cannot be decompressed as ${mediaType} (${e instanceof Error ? e.message : String(e)})`);
  }
  const actual = `sha256:${hash.digest("hex")}`;
  return actual === diffId ? E.right({ file: temporary, size: written, temporary: true }) : E.left(`decompresses to a tar with digest ${actual}, but the config's diff_id is ${diffId}`);
};
