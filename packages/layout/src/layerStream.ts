import * as E from "fp-ts/lib/Either.js";
import { Decompress } from "fzstd";
import { createReadStream } from "node:fs";
import { PassThrough, Transform } from "node:stream";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { MediaType } from "@ocistage/oci";

/**
 * How a layer blob's bytes become the tar they carry: the one place that knows each layer media
 * type's compression (image-spec layer.md). Writers of docker-archives and bundle unpackers read
 * layers through it, so a new compression is added here and nowhere else.
 */
export type Decompressor = () => Transform;

const zstdDecompressor: Decompressor = () => {
  // fzstd is push-based: its output callback feeds the transform's readable side.
  let out: Transform | undefined;
  const zstd = new Decompress((chunk) => void out?.push(Buffer.from(chunk)));
  out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        zstd.push(chunk);
        done();
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)));
      }
    },
    flush(done) {
      try {
        zstd.push(new Uint8Array(0), true);
        done();
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)));
      }
    },
  });
  return out;
};

const identity: Decompressor = () => new PassThrough();

/** Layer media type → how its blob is decompressed into a tar. Docker's names are aliases of the OCI ones. */
export const LAYER_DECOMPRESSORS: ReadonlyMap<string, Decompressor> = new Map<string, Decompressor>([
  [MediaType.layerTar, identity],
  [MediaType.layerNondistributableTar, identity],
  ["application/vnd.docker.image.rootfs.diff.tar", identity],
  [MediaType.layerTarGzip, createGunzip],
  [MediaType.layerNondistributableTarGzip, createGunzip],
  ["application/vnd.docker.image.rootfs.diff.tar.gzip", createGunzip],
  ["application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", createGunzip],
  [MediaType.layerTarZstd, zstdDecompressor],
  [MediaType.layerNondistributableTarZstd, zstdDecompressor],
  ["application/vnd.docker.image.rootfs.diff.tar.zstd", zstdDecompressor],
]);

/** Whether a layer of this media type is stored as the plain tar (its blob digest is its diff_id). */
export const isUncompressedLayer = (mediaType: string): boolean => LAYER_DECOMPRESSORS.get(mediaType) === identity;

/** The decompressor of a layer media type, or why there is none (a media type that is not a layer we can read). */
export const layerDecompressor = (mediaType: string): E.Either<string, Decompressor> => {
  const found = LAYER_DECOMPRESSORS.get(mediaType);
  return found === undefined ? E.left(`media type ${mediaType} is not a layer tar ocistage can read (tar, tar+gzip or tar+zstd)`) : E.right(found);
};

/**
 * The uncompressed tar of a layer blob file, as a stream. A read or decompression failure is an
 * `error` event on the returned stream.
 */
export const openLayerTar = (file: string, mediaType: string): E.Either<string, Readable> =>
  E.map((decompress: Decompressor) => {
    const source = createReadStream(file);
    const tar = decompress();
    source.on("error", (e) => tar.destroy(e));
    return source.pipe(tar);
  })(layerDecompressor(mediaType));
