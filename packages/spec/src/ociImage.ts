import type { ImageSpecInput } from "./ImageSpec.ts";
import type { LayoutSpecInput } from "./LayoutSpec.ts";

// The typed builders a `.ts` spec calls: `export default ociImage({ name, layers, entrypoint })`
// or `export default ociImageLayout({ layers: {...}, images: [...] })`. They only give the
// editor the spec's types; the value is decoded like any JSON spec.
export const ociImage = (spec: ImageSpecInput): ImageSpecInput => spec;
export const ociImageLayout = (spec: LayoutSpecInput): LayoutSpecInput => spec;
