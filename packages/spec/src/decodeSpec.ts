import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import { closestName } from "./closestName.ts";
import { decodeStandardSpec, holdsStandardImage } from "./decodeStandardSpec.ts";
import { ImageSpec } from "./ImageSpec.ts";
import { LayoutSpec } from "./LayoutSpec.ts";
import type { Spec } from "./LayoutSpec.ts";
import { reportDecodeErrors } from "./reportDecodeErrors.ts";
import type { SpecError } from "./SpecError.ts";

// An object with `images` (or a near miss, `imagess`, which the layout form then reports with a
// "did you mean" hint, rather than the single-image form's errors about a missing `name`).
const isLayoutForm = (value: unknown): boolean =>
  typeof value === "object" && value !== null && !Array.isArray(value) && ("images" in value || (!("name" in value) && Object.keys(value).some((k) => closestName(k, ["images"]) !== undefined)));

/**
 * Decode an already-parsed value into a spec of either form: an object with `images` is a
 * layout (several images), anything else the single-image form. Every issue is collected, each
 * with its path; none stops the others. A spec holding a standard image (`kind: standard`) is
 * desugared into an ordinary layout (decodeStandardSpec.ts).
 */
export const decodeSpec = (value: unknown, path: string): E.Either<SpecError, Spec> => {
  const layoutForm = isLayoutForm(value);
  if (holdsStandardImage(value, layoutForm)) return decodeStandardSpec(value, path, layoutForm);
  return pipe(
    layoutForm
      ? pipe(LayoutSpec.decode(value), E.map((layout): Spec => ({ _tag: "Layout", layout })))
      : pipe(ImageSpec.decode(value), E.map((image): Spec => ({ _tag: "Image", image }))),
    E.mapLeft((errors): SpecError => ({ _tag: "SpecInvalid", path, issues: reportDecodeErrors(errors) })),
  );
};
