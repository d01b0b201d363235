/**
 * The OCI media types ocistage reads and writes (image-spec v1.1).
 *
 * Why constants and not free strings: a typo in a media type produces a layout that every tool
 * silently ignores ("an encountered mediaType that is unknown MUST be ignored"), so the names live in
 * one place and the types below make the compiler spell them for us.
 */
export const MediaType = {
  /** The `oci-layout` marker file. */
  layoutHeader: "application/vnd.oci.layout.header.v1+json",
  imageIndex: "application/vnd.oci.image.index.v1+json",
  imageManifest: "application/vnd.oci.image.manifest.v1+json",
  imageConfig: "application/vnd.oci.image.config.v1+json",
  /** An uncompressed tar layer: its blob digest is also its diff_id. */
  layerTar: "application/vnd.oci.image.layer.v1.tar",
  layerTarGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  layerTarZstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  /** Deprecated by the spec but still found in the wild; read, never written. */
  layerNondistributableTar: "application/vnd.oci.image.layer.nondistributable.v1.tar",
  layerNondistributableTarGzip: "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
  layerNondistributableTarZstd: "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
  /** The two-byte `{}` blob used as a placeholder config or layer by artifacts. */
  emptyJson: "application/vnd.oci.empty.v1+json",
} as const;

export type MediaType = (typeof MediaType)[keyof typeof MediaType];

/** Media types a manifest's `layers[]` may carry and that we know how to treat as a filesystem layer. */
export const layerMediaTypes: ReadonlySet<string> = new Set<string>([
  MediaType.layerTar,
  MediaType.layerTarGzip,
  MediaType.layerTarZstd,
  MediaType.layerNondistributableTar,
  MediaType.layerNondistributableTarGzip,
  MediaType.layerNondistributableTarZstd,
  MediaType.emptyJson,
]);

/** Layer media types whose blob is the uncompressed tar itself, so `diff_id == digest`. */
export const uncompressedLayerMediaTypes: ReadonlySet<string> = new Set<string>([
  MediaType.layerTar,
  MediaType.layerNondistributableTar,
]);

const known: ReadonlySet<string> = new Set<string>(Object.values(MediaType));

export const isKnownMediaType = (s: string): s is MediaType => known.has(s);

export const isLayerMediaType = (s: string): boolean => layerMediaTypes.has(s);

/**
 * RFC 6838 section 4.2 restricted names, as the OCI descriptor schema intends them (the schema's own
 * character class `[A-Za-z0-9!#$&-^_.+]` contains the accidental range `&-^`; we use the RFC's list).
 */
const mediaTypePattern = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

export const isMediaTypeSyntax = (s: string): boolean => mediaTypePattern.test(s);
