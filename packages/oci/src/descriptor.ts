import * as t from "io-ts";
import type { Annotations } from "./annotations.ts";
import { decodeWith } from "./decode.ts";
import type { DecodeFailure } from "./decode.ts";
import type { Digest } from "./digest.ts";
import type { Either } from "fp-ts/lib/Either.js";
import { PlatformCodec } from "./platform.ts";
import type { Platform } from "./platform.ts";
import { AnnotationsCodec, DigestCodec, MediaTypeCodec, SizeCodec, StringsCodec } from "./primitives.ts";

/**
 * A content descriptor: what a blob is (`mediaType`), which bytes exactly (`digest`), and how many
 * (`size`). Every reference between OCI documents is one of these.
 *
 * Unknown fields (e.g. `data`) are not stripped when decoding: the spec allows extensions, and a
 * document re-serialised from a decoded value must not silently lose them.
 */
export type Descriptor = {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly annotations?: Annotations;
  readonly platform?: Platform;
  readonly artifactType?: string;
};

export const DescriptorCodec: t.Type<Descriptor, Descriptor, unknown> = t.readonly(
  t.intersection(
    [
      t.type({ mediaType: MediaTypeCodec, digest: DigestCodec, size: SizeCodec }),
      t.partial({
        urls: StringsCodec,
        annotations: AnnotationsCodec,
        platform: PlatformCodec,
        artifactType: MediaTypeCodec,
      }),
    ],
    "Descriptor",
  ),
  "Descriptor",
);

export const decodeDescriptor: (u: unknown) => Either<DecodeFailure, Descriptor> = decodeWith(DescriptorCodec);

export interface DescriptorInput {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly annotations?: Annotations | undefined;
  readonly platform?: Platform | undefined;
  readonly urls?: readonly string[] | undefined;
  readonly artifactType?: string | undefined;
}

const isEmpty = (o: object): boolean => Object.keys(o).length === 0;

/**
 * A descriptor carrying exactly the fields given. Absent and empty `annotations`/`urls` are both
 * left out, so "no annotations" has one spelling and therefore one digest.
 */
export const descriptor = (input: DescriptorInput): Descriptor => ({
  mediaType: input.mediaType,
  digest: input.digest,
  size: input.size,
  ...(input.urls === undefined || input.urls.length === 0 ? {} : { urls: input.urls }),
  ...(input.annotations === undefined || isEmpty(input.annotations) ? {} : { annotations: input.annotations }),
  ...(input.platform === undefined ? {} : { platform: input.platform }),
  ...(input.artifactType === undefined ? {} : { artifactType: input.artifactType }),
});
