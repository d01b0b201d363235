import type { ImageSpecInput } from "./ImageSpec.ts";

// The typed builder a `.ts` spec calls: `export default ociImage({ name, layers, entrypoint })`.
// It only gives the editor the spec's types; the value is decoded like any JSON spec.
export const ociImage = (spec: ImageSpecInput): ImageSpecInput => spec;
