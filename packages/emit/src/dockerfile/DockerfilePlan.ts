import type { Owner, StepOf } from "@ocistage/program";

// How one layer travels in the build context (see layerCarrier.ts for the choice):
// - CopyTree: `<folder>/` holds the tree `assemble` makes (the tree the build tars), every node
//   with the tree's mode and with mtime `mtime`; `COPY [--chown=…] <folder>/ /` gives everything
//   but the root `owner`, so the folder's own owners do not matter.
// - AddTar: `<file>` is the layer's tar (the tree, every mtime `mtime`); `ADD <file> /` unpacks
//   it with every owner and mode, for layers one COPY cannot give (`because` says why).
interface ContextLayerCommon {
  readonly layer: string;
  readonly assemble: StepOf<"AssembleRootfs">;
  readonly mtime: number;
}

export type DockerContextLayer =
  | (ContextLayerCommon & { readonly _tag: "CopyTree"; readonly folder: string; readonly owner: Owner })
  | (ContextLayerCommon & { readonly _tag: "AddTar"; readonly file: string; readonly because: string });

// What `emit dockerfile` writes: the Dockerfile's text and, per layer, what the context holds.
export interface DockerfilePlan {
  readonly dockerfile: string;
  readonly reference: string; // what the image is called: `buildah bud -t REFERENCE`
  readonly layers: readonly DockerContextLayer[];
}
