import { MediaType } from "@ocistage/oci";

/**
 * How a layer's tar is stored as a blob (README, "Compressed layers"). `none` stores the tar
 * itself (blob digest = diff_id); `gzip` and `zstd` store it compressed in independent blocks of
 * COMPRESSION_BLOCK_SIZE bytes of the tar, at COMPRESSION_LEVEL, by the compressor the build
 * pins (so the bytes are the same on every machine for a given ocistage version).
 */
export type Compression = "none" | "gzip" | "zstd";

export const COMPRESSIONS: readonly Compression[] = ["none", "gzip", "zstd"];

/** The compression level each codec is run at: gzip's and zstd's own defaults. */
export const COMPRESSION_LEVEL: Readonly<Record<Exclude<Compression, "none">, number>> = { gzip: 6, zstd: 3 };

/** Bytes of uncompressed tar per independently compressed block (as pigz's default 128 KiB blocks, but larger). */
export const COMPRESSION_BLOCK_SIZE = 1024 * 1024;

/** The OCI media type of a layer stored with `compression` (image-spec layer.md). */
export const layerMediaType = (compression: Compression): string => {
  switch (compression) {
    case "none":
      return MediaType.layerTar;
    case "gzip":
      return MediaType.layerTarGzip;
    case "zstd":
      return MediaType.layerTarZstd;
  }
};

/** A few words for views: "uncompressed", "gzip level 6", "zstd level 3". */
export const compressionText = (compression: Compression): string =>
  compression === "none" ? "uncompressed" : `${compression} level ${COMPRESSION_LEVEL[compression]}, in independent 1 MiB blocks`;
