import type { Compression } from "@ocistage/program";
import { COMPRESSION_LEVEL } from "@ocistage/program";
import type { StoredBlob } from "../blobStore.ts";
import type { CompressionPool } from "./compressionPool.ts";
import type { TarCompression } from "./compressedTarFile.ts";

/** A layer as the store holds it: its blob (the stored bytes) and its diff_id (the uncompressed tar's sha256). */
export interface StoredLayer extends StoredBlob {
  readonly diffId: string; // "sha256:<hex>"; the blob's digest when uncompressed
}

/** How a layer's tar is stored: its compression, and the threads that compress (shared by the build's layers). */
export interface LayerStorage {
  readonly compression: Compression;
  readonly pool: CompressionPool;
  readonly threads: number;
}

/** The compressor settings of a compressed layer; undefined for an uncompressed one. */
export const tarCompression = (storage: LayerStorage): TarCompression | undefined =>
  storage.compression === "none"
    ? undefined
    : // Two blocks per thread in flight: every thread has its next block waiting when it finishes one.
      { codec: storage.compression, level: COMPRESSION_LEVEL[storage.compression], pool: storage.pool, window: 2 * storage.threads + 1 };

/** An uncompressed layer's storage: it never asks the pool for anything. */
export const UNCOMPRESSED: LayerStorage = {
  compression: "none",
  pool: {
    compress: () => Promise.reject(new Error("bug: an uncompressed layer was given to the compression pool")),
    close: () => Promise.resolve(),
  },
  threads: 1,
};
