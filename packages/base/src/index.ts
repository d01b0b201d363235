export * from "./BaseError.ts";
export * from "./parseBaseReference.ts";
export * from "./readBase.ts";
export * from "./baseBlobFiles.ts";
export { applyLayer, normaliseMember, sortedFiles } from "./fileTree.ts";
export type { LayerEntry } from "./fileTree.ts";
export { readLayerBlob } from "./readLayerBlob.ts";
export type { ReadLayer } from "./readLayerBlob.ts";
export type { BaseMaterialiser } from "./BaseMaterialiser.ts";
