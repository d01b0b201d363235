import type { Step, StepOf, StepTag } from "./Step.ts";

// The fold every interpreter is written as: a handler per step kind. A new kind of step
// fails to compile in every interpreter until it is handled there.
export type StepHandlers<R> = { readonly [K in StepTag]: (step: StepOf<K>) => R };

const absurd = (step: never): never => {
  throw new Error(`unhandled step ${JSON.stringify(step)}`);
};

export const matchStep =
  <R>(handlers: StepHandlers<R>) =>
  (step: Step): R => {
    switch (step._tag) {
      case "WriteLayoutFile":
        return handlers.WriteLayoutFile(step);
      case "ImportBase":
        return handlers.ImportBase(step);
      case "AssembleRootfs":
        return handlers.AssembleRootfs(step);
      case "TarLayer":
        return handlers.TarLayer(step);
      case "WriteConfig":
        return handlers.WriteConfig(step);
      case "WriteManifest":
        return handlers.WriteManifest(step);
      case "WriteImageIndex":
        return handlers.WriteImageIndex(step);
      case "WriteIndex":
        return handlers.WriteIndex(step);
      case "VerifyBlobs":
        return handlers.VerifyBlobs(step);
      case "CleanScratch":
        return handlers.CleanScratch(step);
      case "ArchiveLayout":
        return handlers.ArchiveLayout(step);
      default:
        return absurd(step);
    }
  };
