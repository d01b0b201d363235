import type { Either } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { Annotation } from "./annotations.ts";
import type { Annotations } from "./annotations.ts";
import { decodeWith } from "./decode.ts";
import type { DecodeFailure } from "./decode.ts";
import { descriptor, DescriptorCodec } from "./descriptor.ts";
import type { Descriptor } from "./descriptor.ts";
import { MediaType } from "./mediaTypes.ts";
import type { Platform } from "./platform.ts";
import { AnnotationsCodec, MediaTypeCodec } from "./primitives.ts";

/**
 * An image index: a list of manifests (or nested indexes), typically one per platform. A layout's
 * `index.json` is one, whose entries name their tag with `org.opencontainers.image.ref.name`.
 *
 * `mediaType` is optional for the same reason as in `ImageManifest`; `imageIndex()` always writes it.
 */
export type ImageIndex = {
  readonly schemaVersion: 2;
  readonly mediaType?: typeof MediaType.imageIndex;
  readonly artifactType?: string;
  readonly manifests: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Annotations;
};

export const ImageIndexCodec: t.Type<ImageIndex, ImageIndex, unknown> = t.readonly(
  t.intersection(
    [
      t.type({
        schemaVersion: t.literal(2),
        manifests: t.readonlyArray(DescriptorCodec, "Array<Descriptor>"),
      }),
      t.partial({
        mediaType: t.literal(MediaType.imageIndex),
        artifactType: MediaTypeCodec,
        subject: DescriptorCodec,
        annotations: AnnotationsCodec,
      }),
    ],
    "ImageIndex",
  ),
  "ImageIndex",
);

export const decodeImageIndex: (u: unknown) => Either<DecodeFailure, ImageIndex> = decodeWith(ImageIndexCodec);

export interface ImageIndexInput {
  readonly manifests: readonly Descriptor[];
  readonly annotations?: Annotations | undefined;
}

export const imageIndex = (input: ImageIndexInput): ImageIndex => ({
  schemaVersion: 2,
  mediaType: MediaType.imageIndex,
  manifests: input.manifests,
  ...(input.annotations === undefined || Object.keys(input.annotations).length === 0
    ? {}
    : { annotations: input.annotations }),
});

export interface IndexEntryInput {
  /** The manifest (or nested index) the entry points at. */
  readonly target: Descriptor;
  /** The tag, written as the `org.opencontainers.image.ref.name` annotation. */
  readonly tag?: string | undefined;
  readonly platform?: Platform | undefined;
  readonly annotations?: Annotations | undefined;
}

/**
 * An entry of `index.json`: the target's descriptor plus its tag and platform. The tag wins over a
 * `ref.name` passed in `annotations`, since the tag is what the caller asked for by name.
 */
export const indexEntry = (input: IndexEntryInput): Descriptor =>
  descriptor({
    ...input.target,
    annotations: {
      ...input.target.annotations,
      ...input.annotations,
      ...(input.tag === undefined ? {} : { [Annotation.refName]: input.tag }),
    },
    platform: input.platform ?? input.target.platform,
  });

/** The tag of an index entry, if it has one. */
export const refNameOf = (d: Descriptor): string | undefined => d.annotations?.[Annotation.refName];
