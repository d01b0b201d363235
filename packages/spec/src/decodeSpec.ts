import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import { ImageSpec } from "./ImageSpec.ts";
import { reportDecodeErrors } from "./reportDecodeErrors.ts";
import type { SpecError } from "./SpecError.ts";

// Decode an already-parsed value; every issue is collected, none stops the others.
export const decodeSpec = (value: unknown, path: string): E.Either<SpecError, ImageSpec> =>
  pipe(
    ImageSpec.decode(value),
    E.mapLeft((errors): SpecError => ({ _tag: "SpecInvalid", path, issues: reportDecodeErrors(errors) })),
  );
