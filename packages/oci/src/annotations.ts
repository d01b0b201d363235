/**
 * Pre-defined OCI annotation keys that ocistage writes or reads.
 * `refName` is the "tag" of a manifest, only meaningful on descriptors in a layout's `index.json`.
 */
export const Annotation = {
  refName: "org.opencontainers.image.ref.name",
  created: "org.opencontainers.image.created",
  title: "org.opencontainers.image.title",
  description: "org.opencontainers.image.description",
  source: "org.opencontainers.image.source",
  revision: "org.opencontainers.image.revision",
  version: "org.opencontainers.image.version",
  baseDigest: "org.opencontainers.image.base.digest",
  baseName: "org.opencontainers.image.base.name",
} as const;

export type Annotation = (typeof Annotation)[keyof typeof Annotation];

/** A string-to-string map, as every `annotations` field is. */
export type Annotations = { readonly [key: string]: string };
