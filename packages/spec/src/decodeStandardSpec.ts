import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as t from "io-ts";
import { desugarStandard } from "./desugarStandard.ts";
import type { StandardSource } from "./desugarStandard.ts";
import { LayoutImage, layoutFields } from "./LayoutSpec.ts";
import type { Spec } from "./LayoutSpec.ts";
import { reportDecodeErrors } from "./reportDecodeErrors.ts";
import type { SpecError } from "./SpecError.ts";
import { StandardImage } from "./StandardImage.ts";
import { strictType } from "./strictType.ts";

const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null && !Array.isArray(u);

// `kind` is what says "standard image" (an ordinary image has no such field); a wrong kind is
// reported by the standard codec, which expects "standard".
const isStandard = (u: unknown): boolean => isObject(u) && "kind" in u;

/** An image of a layout that may be a standard image: chosen by its `kind`, so errors are the chosen form's. */
const LayoutImageOrStandard = new t.Type<LayoutImage | StandardImage, unknown, unknown>(
  "image",
  (u): u is LayoutImage | StandardImage => LayoutImage.is(u) || StandardImage.is(u),
  (u, c) => (isStandard(u) ? StandardImage.validate(u, c) : LayoutImage.validate(u, c)),
  t.identity,
);

/** The layout form with standard images among its images. */
export const StandardLayoutSpec = strictType("layout spec", { images: t.readonlyArray(LayoutImageOrStandard) }, layoutFields);
export type StandardLayoutSpec = t.TypeOf<typeof StandardLayoutSpec>;

/**
 * Whether a parsed spec holds a standard image: a single image with `kind`, or a layout (an
 * object with `images`) one of whose images has `kind`. Such a spec is decoded here; any other
 * by the ordinary codecs, untouched.
 */
export const holdsStandardImage = (value: unknown, layoutForm: boolean): boolean =>
  layoutForm ? isObject(value) && Array.isArray(value["images"]) && value["images"].some(isStandard) : isStandard(value);

/**
 * Decode a spec holding standard images and desugar it into an ordinary layout (desugarStandard.ts).
 * Decode errors and the desugaring's own checks are reported as every other spec issue is, at
 * the paths the user wrote.
 */
export const decodeStandardSpec = (value: unknown, path: string, layoutForm: boolean): E.Either<SpecError, Spec> => {
  const decoded: E.Either<t.Errors, StandardSource> = layoutForm
    ? pipe(StandardLayoutSpec.decode(value), E.map((layout): StandardSource => ({ _tag: "Layout", layout })))
    : pipe(StandardImage.decode(value), E.map((image): StandardSource => ({ _tag: "Image", image })));
  return pipe(
    decoded,
    E.mapLeft((errors): SpecError => ({ _tag: "SpecInvalid", path, issues: reportDecodeErrors(errors) })),
    E.chain((source) =>
      pipe(
        desugarStandard(source),
        E.bimap(
          (issues): SpecError => ({ _tag: "SpecInvalid", path, issues }),
          ({ layout, origins }): Spec => ({ _tag: "Layout", layout, origins }),
        ),
      ),
    ),
  );
};
