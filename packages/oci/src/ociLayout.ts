import type { Either } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { decodeWith } from "./decode.ts";
import type { DecodeFailure } from "./decode.ts";

/** The `oci-layout` marker file at the root of an image layout. Other fields are allowed and kept. */
export type OciLayoutFile = { readonly imageLayoutVersion: "1.0.0" };

export const imageLayoutVersion = "1.0.0";

export const OciLayoutFileCodec: t.Type<OciLayoutFile, OciLayoutFile, unknown> = t.readonly(
  t.type({ imageLayoutVersion: t.literal(imageLayoutVersion) }, "OciLayoutFile"),
  "OciLayoutFile",
);

export const decodeOciLayoutFile: (u: unknown) => Either<DecodeFailure, OciLayoutFile> =
  decodeWith(OciLayoutFileCodec);

export const layoutFile = (): OciLayoutFile => ({ imageLayoutVersion });
