import type { Owner, StepOf } from "@ocistage/program";

// What a Dockerfile's build context must hold, as the Dockerfile emitter plans it (@ocistage/emit's
// DockerfilePlan has this shape; build does not depend on emit, so the shape is restated here).
// CopyTree: the layer's tree in `<folder>/`, with the tree's modes; the COPY gives every file and
// folder but the root `owner`. AddTar: the layer's tar in `<file>`.
interface LayerRequestCommon {
  readonly layer: string;
  readonly assemble: StepOf<"AssembleRootfs">;
  readonly mtime: number; // of every file, folder and link the context holds for this layer
}

export type DockerContextLayerRequest =
  | (LayerRequestCommon & { readonly _tag: "CopyTree"; readonly folder: string; readonly owner: Owner })
  | (LayerRequestCommon & { readonly _tag: "AddTar"; readonly file: string });

export interface DockerContextRequest {
  readonly dockerfile: string;
  readonly layers: readonly DockerContextLayerRequest[];
}

export interface DockerContextOptions {
  readonly sourceRoot: string; // the spec's folder: relative sources start here
  readonly context: string; // DIR of --context
}

export interface DockerContextResult {
  readonly context: string; // absolute
  readonly dockerfile: string; // absolute path of the Dockerfile
  readonly layers: readonly { readonly layer: string; readonly path: string; readonly nodes: number }[];
}

// The file that says "ocistage wrote this folder", so a later run may replace it.
export const CONTEXT_MARKER = ".ocistage-context";
