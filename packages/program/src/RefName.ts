// How index.json names an image: the `org.opencontainers.image.ref.name` annotation of its entry
// (OCI image-spec, annotations.md). The tag is either the spec's, or derived from the digest of
// what the entry points at (seed 001: "tag defaults to the output hash"), which only a running
// substrate knows: then the reference is `prefix` + the first DIGEST_TAG_LENGTH hex digits.

/** Hex digits of the sha256 a digest-derived tag keeps: 128 bits, short enough to type. */
export const DIGEST_TAG_LENGTH = 32;

export type TagSource = { readonly _tag: "Given"; readonly tag: string } | { readonly _tag: "FromDigest" };

/** `prefix` is "" for the single-image form (ref.name is the bare tag) and "NAME:" in a layout. */
export interface RefName {
  readonly prefix: string;
  readonly tag: TagSource;
}

/** The tag a digest gives ("sha256:<hex>" → its first DIGEST_TAG_LENGTH hex digits). */
export const digestTag = (digest: string): string => digest.replace(/^sha256:/, "").slice(0, DIGEST_TAG_LENGTH);

/** The ref.name once the digest of the entry's target is known. */
export const resolveRefName = (ref: RefName, digest: string): string => ref.prefix + (ref.tag._tag === "Given" ? ref.tag.tag : digestTag(digest));

/** How views print a reference before any digest exists: `web:1.0`, or `web:<digest>`. */
export const refNameText = (ref: RefName): string => ref.prefix + (ref.tag._tag === "Given" ? ref.tag.tag : "<digest>");
