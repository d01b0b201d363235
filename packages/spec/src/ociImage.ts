import type * as t from "io-ts";
import type { ImageSpecInput } from "./ImageSpec.ts";
import type { LayoutImage, LayoutSpecInput } from "./LayoutSpec.ts";
import type { StandardImageInput } from "./StandardImage.ts";

/** A layout whose images may be standard images (`kind: "standard"`). */
export type StandardLayoutSpecInput = Omit<LayoutSpecInput, "images"> & { readonly images: readonly (t.OutputOf<typeof LayoutImage> | StandardImageInput)[] };

// The typed builders a `.ts` spec calls: `export default ociImage({ name, layers, entrypoint })`,
// `export default standardImage({ kind: "standard", name, operable })` or
// `export default ociImageLayout({ layers: {...}, images: [...] })`. They only give the
// editor the spec's types; the value is decoded like any JSON spec.
export const ociImage = (spec: ImageSpecInput): ImageSpecInput => spec;
export const standardImage = (spec: StandardImageInput): StandardImageInput => spec;
export const ociImageLayout = (spec: LayoutSpecInput | StandardLayoutSpecInput): LayoutSpecInput | StandardLayoutSpecInput => spec;
