import * as t from "io-ts";
import { ImageName, LayerName, LayerSpec, imageFields, layerFields } from "./ImageSpec.ts";
import type { ImageSpec } from "./ImageSpec.ts";
import { platformProblems } from "./platformCodecs.ts";
import { strictType } from "./strictType.ts";
import { withFieldChecks } from "./withFieldChecks.ts";
import type { SpecOrigins } from "./SpecOrigins.ts";

// The layout form of a spec (seed 000's ociImageLayout): several images, and layers defined once
// by name and used by any of them. Recognised by its `images` field; the single-image form
// (ImageSpec) stays as it is.

/** A layer of the layout's `layers` record: a layer without its name (the record key is the name). */
export const LayerBody = strictType("layer", {}, layerFields);
export type LayerBody = t.TypeOf<typeof LayerBody>;

/** How an image names a layer: a key of the layout's `layers`, or an inline layer with its own name. */
export const LayerUse = new t.Type<string | LayerSpec, unknown, unknown>(
  "layer name or inline layer",
  (u): u is string | LayerSpec => typeof u === "string" || LayerSpec.is(u),
  (u, c) => (typeof u === "string" ? LayerName.validate(u, c) : LayerSpec.validate(u, c)),
  t.identity,
);
export type LayerUse = t.TypeOf<typeof LayerUse>;

/** One image of a layout: the single-image form's fields, with layers named or inline. */
export const LayoutImage = withFieldChecks(strictType("image", { name: ImageName, layers: t.readonlyArray(LayerUse) }, imageFields), platformProblems);
export type LayoutImage = t.TypeOf<typeof LayoutImage>;

/** A layout's fields besides its images. */
export const layoutFields = {
  name: ImageName, // the layout's name, for its docs page and default output folder
  description: t.string,
  layers: t.record(t.string, LayerBody),
};

export const LayoutSpec = strictType("layout spec", { images: t.readonlyArray(LayoutImage) }, layoutFields);
export type LayoutSpec = t.TypeOf<typeof LayoutSpec>;
export type LayoutSpecInput = t.OutputOf<typeof LayoutSpec>;

/**
 * A decoded spec of either form. `origins` is set when the spec was written in another shape
 * and desugared into this one (a standard image, see desugarStandard.ts): it maps the paths of
 * this form back to the fields the user wrote (SpecOrigins.ts).
 */
export type Spec =
  | { readonly _tag: "Image"; readonly image: ImageSpec; readonly origins?: SpecOrigins }
  | { readonly _tag: "Layout"; readonly layout: LayoutSpec; readonly origins?: SpecOrigins };
