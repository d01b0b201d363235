import type { Program, Step } from "@ocistage/program";
import { matchStep } from "@ocistage/program";
import type { RuntimeService } from "./runtimeServices.ts";
import { runtimeServices } from "./runtimeServices.ts";

// What a build would do, in the order it would do it, without doing any of it.
export type BuilderAction =
  | { readonly _tag: "Tool"; readonly tool: string; readonly package: string }
  | { readonly _tag: "Write"; readonly step: string; readonly path: string }
  | { readonly _tag: "Run"; readonly step: string; readonly tools: readonly string[] }
  | { readonly _tag: "Descriptor"; readonly name: string }
  | { readonly _tag: "Transform"; readonly output: string; readonly kind: string }
  | { readonly _tag: "Materialize"; readonly derivation: string; readonly via: string }
  | { readonly _tag: "Evidence"; readonly test: string };

export interface DryRun {
  readonly builder: readonly BuilderAction[];
  readonly runtime: readonly RuntimeService[];
}

// The substrate that materializes a program today.
export const MATERIALIZER = "ocistage build";

const FILE_PREFIX = "file:";

const stepAction: (step: Step) => BuilderAction = matchStep<BuilderAction>({
  WriteLayoutFile: (step) => ({ _tag: "Write", step: step.name, path: step.outputs.find((o) => o.startsWith(FILE_PREFIX))?.slice(FILE_PREFIX.length) ?? step.name }),
  ImportBase: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
  AssembleRootfs: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
  TarLayer: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
  WriteConfig: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
  WriteManifest: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
  WriteImageIndex: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
  WriteIndex: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
  VerifyBlobs: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
  CleanScratch: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
  ArchiveLayout: (step) => ({ _tag: "Run", step: step.name, tools: step.tools }),
});

export const dryRun = (program: Program): DryRun => ({
  builder: [
    ...program.tools.map((tool): BuilderAction => ({ _tag: "Tool", tool: tool.name, package: tool.package })),
    ...program.steps.map(stepAction),
    ...program.descriptors.map((d): BuilderAction => ({ _tag: "Descriptor", name: d.name })),
    ...program.outputs.map((o): BuilderAction => ({ _tag: "Transform", output: o.name, kind: o.kind })),
    ...program.descriptors.map((d): BuilderAction => ({ _tag: "Materialize", derivation: d.name, via: MATERIALIZER })),
    ...program.evidence.map((t): BuilderAction => ({ _tag: "Evidence", test: t.name })),
  ],
  runtime: runtimeServices(program),
});

export const builderActionLine = (action: BuilderAction): string => {
  switch (action._tag) {
    case "Tool":
      return `tool ${action.tool}`;
    case "Write":
      return `write ${action.path}`;
    case "Run":
      return `run ${action.step} with ${action.tools.join(", ")}`;
    case "Descriptor":
      return `descriptor ${action.name}`;
    case "Transform":
      return `transform ${action.output} (${action.kind})`;
    case "Materialize":
      return `materialize ${action.derivation} with ${action.via}`;
    case "Evidence":
      return `evidence ${action.test}`;
  }
};

export const dryRunBuilderLines = (view: DryRun): readonly string[] => view.builder.map(builderActionLine);

export const dryRunRuntimeLines = (view: DryRun): readonly string[] => (view.runtime.length === 0 ? ["None."] : []);

// `ocistage dry-run` (text): the seed's two sections.
export const dryRunText = (program: Program): string => {
  const view = dryRun(program);
  return ["Dry Run - Builder", ...dryRunBuilderLines(view).map((l) => `  ${l}`), "", "Dry Run - Runtime", ...dryRunRuntimeLines(view).map((l) => `  ${l}`)].join("\n");
};
