import type { Step } from "@ocistage/program";
import { matchStep } from "@ocistage/program";

// What part of the build an operation belongs to; the DOT and Mermaid renderings colour by it.
export type OperationGroup = "layer" | "metadata" | "layout" | "housekeeping";

export const OPERATION_GROUPS: readonly OperationGroup[] = ["layer", "metadata", "layout", "housekeeping"];

export const operationGroup: (step: Step) => OperationGroup = matchStep<OperationGroup>({
  WriteLayoutFile: () => "layout",
  ImportBase: () => "layer",
  AssembleRootfs: () => "layer",
  TarLayer: () => "layer",
  WriteConfig: () => "metadata",
  WriteManifest: () => "metadata",
  WriteImageIndex: () => "metadata",
  WriteIndex: () => "layout",
  VerifyBlobs: () => "housekeeping",
  CleanScratch: () => "housekeeping",
  ArchiveLayout: () => "layout",
});
