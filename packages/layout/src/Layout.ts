import { absurd } from "fp-ts/lib/function.js";
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, OciLayoutFile } from "@ocistage/oci";
import type { LayoutLocation } from "./LayoutLocation.ts";

/**
 * An image layout as read from disk: the JSON documents decoded, every descriptor followed, and the
 * blobs that are not JSON documents (layers, unknown content) known only by descriptor and path, so
 * reading a layout never loads a layer.
 */
export interface Layout {
  /** The layout directory, as given. */
  readonly dir: string;
  readonly ociLayout: OciLayoutFile;
  readonly index: ImageIndex;
  /** One node per `index.json` `manifests[]` entry, in order. */
  readonly manifests: readonly LayoutNode[];
}

export type LayoutNode = ManifestNode | IndexNode | BlobNode;

export interface ManifestNode {
  readonly _tag: "ManifestNode";
  /** The descriptor that led here. */
  readonly at: LayoutLocation;
  readonly descriptor: Descriptor;
  readonly manifest: ImageManifest;
  readonly config: ConfigNode;
  readonly layers: readonly BlobNode[];
}

/** A nested index (e.g. a multi-platform image under one tag). */
export interface IndexNode {
  readonly _tag: "IndexNode";
  readonly at: LayoutLocation;
  readonly descriptor: Descriptor;
  readonly index: ImageIndex;
  readonly manifests: readonly LayoutNode[];
}

/** A blob known by descriptor and file only: a layer, an artifact's config, unknown content. */
export interface BlobNode {
  readonly _tag: "BlobNode";
  readonly at: LayoutLocation;
  readonly descriptor: Descriptor;
  /** The blob's file: the layout directory joined with `blobs/<alg>/<hex>`. */
  readonly path: string;
}

export interface ImageConfigNode {
  readonly _tag: "ImageConfigNode";
  readonly at: LayoutLocation;
  readonly descriptor: Descriptor;
  readonly config: ImageConfig;
}

/** An image's config is decoded; an artifact's (e.g. the empty `{}` config) stays a blob. */
export type ConfigNode = ImageConfigNode | BlobNode;

export const matchLayoutNode =
  <R>(handlers: {
    readonly ManifestNode: (node: ManifestNode) => R;
    readonly IndexNode: (node: IndexNode) => R;
    readonly BlobNode: (node: BlobNode) => R;
  }) =>
  (node: LayoutNode): R => {
    switch (node._tag) {
      case "ManifestNode":
        return handlers.ManifestNode(node);
      case "IndexNode":
        return handlers.IndexNode(node);
      case "BlobNode":
        return handlers.BlobNode(node);
      default:
        return absurd(node);
    }
  };

/** Every image manifest in the layout, depth first through nested indexes, in index order. */
export const manifestsOf = (layout: Layout): readonly ManifestNode[] => {
  const walk: (node: LayoutNode) => readonly ManifestNode[] = matchLayoutNode({
    ManifestNode: (node) => [node],
    IndexNode: (node) => node.manifests.flatMap(walk),
    BlobNode: () => [],
  });
  return layout.manifests.flatMap(walk);
};
