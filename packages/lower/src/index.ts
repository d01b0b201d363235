export * from "./LowerError.ts";
export * from "./imageConfig.ts";
export * from "./lower.ts";
export * from "./normaliseDestination.ts";
export { LAYER_MEDIA_TYPE, OCI_LAYOUT_CONTENT } from "./steps.ts";
export { DEFAULT_MAX_LAYERS, layerBudget } from "./layerBudget.ts";
export * from "./baseRequests.ts";
