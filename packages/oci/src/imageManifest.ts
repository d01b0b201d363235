import type { Either } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { Annotations } from "./annotations.ts";
import { decodeWith } from "./decode.ts";
import type { DecodeFailure } from "./decode.ts";
import { DescriptorCodec } from "./descriptor.ts";
import type { Descriptor } from "./descriptor.ts";
import { MediaType } from "./mediaTypes.ts";
import { AnnotationsCodec, MediaTypeCodec } from "./primitives.ts";

/**
 * An image manifest: one config and the layers, base first, for one platform.
 *
 * `mediaType` is optional here because the spec only says it SHOULD be present and we read layouts
 * written by other tools; `imageManifest()` always writes it.
 */
export type ImageManifest = {
  readonly schemaVersion: 2;
  readonly mediaType?: typeof MediaType.imageManifest;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Annotations;
};

export const ImageManifestCodec: t.Type<ImageManifest, ImageManifest, unknown> = t.readonly(
  t.intersection(
    [
      t.type({
        schemaVersion: t.literal(2),
        config: DescriptorCodec,
        layers: t.readonlyArray(DescriptorCodec, "Array<Descriptor>"),
      }),
      t.partial({
        mediaType: t.literal(MediaType.imageManifest),
        artifactType: MediaTypeCodec,
        subject: DescriptorCodec,
        annotations: AnnotationsCodec,
      }),
    ],
    "ImageManifest",
  ),
  "ImageManifest",
);

export const decodeImageManifest: (u: unknown) => Either<DecodeFailure, ImageManifest> =
  decodeWith(ImageManifestCodec);

export interface ImageManifestInput {
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations?: Annotations | undefined;
  readonly subject?: Descriptor | undefined;
  readonly artifactType?: string | undefined;
}

/** The manifest the builder serialises: schemaVersion 2, the OCI media type, and only the fields given. */
export const imageManifest = (input: ImageManifestInput): ImageManifest => ({
  schemaVersion: 2,
  mediaType: MediaType.imageManifest,
  ...(input.artifactType === undefined ? {} : { artifactType: input.artifactType }),
  config: input.config,
  layers: input.layers,
  ...(input.subject === undefined ? {} : { subject: input.subject }),
  ...(input.annotations === undefined || Object.keys(input.annotations).length === 0
    ? {}
    : { annotations: input.annotations }),
});
