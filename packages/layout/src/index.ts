export * from "./Layout.ts";
export * from "./LayoutError.ts";
export * from "./LayoutIssue.ts";
export * from "./LayoutLocation.ts";
export * from "./formatLayoutIssue.ts";
export * from "./readLayout.ts";
export * from "./verifyLayout.ts";
export { hashFile } from "./layoutFs.ts";
export type { Hashed } from "./layoutFs.ts";
