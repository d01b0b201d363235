export * from "./BuildError.ts";
export * from "./LayerTree.ts";
export * from "./assembleTree.ts";
export * from "./blobStore.ts";
export * from "./buildImage.ts";
export * from "./normaliseMode.ts";
export * from "./publishOutput.ts";
export * from "./layout/index.ts";
