export * from "./Artifact.ts";
export * from "./Json.ts";
export * from "./Program.ts";
export * from "./RootfsEntry.ts";
export * from "./Step.ts";
export * from "./Tool.ts";
export * from "./matchStep.ts";
