export * from "./ImageSpec.ts";
export * from "./LayoutSpec.ts";
export * from "./SpecError.ts";
export * from "./decodeSpec.ts";
export * from "./loadSpec.ts";
export * from "./hostClosures.ts";
export * from "./ociImage.ts";
export * from "./reportDecodeErrors.ts";
export { closestName } from "./closestName.ts";
