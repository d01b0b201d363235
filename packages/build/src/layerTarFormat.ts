import type { TarFormat } from "@ocistage/tar";
import type { TreeNode } from "./LayerTree.ts";

// The format of a layer's tar (TarFormat.ts): "pax" when a node keeps a file capability, since
// GNU tar records extended attributes in no other format, else "gnu", so every layer without
// one stays byte for byte what it was. Hard links carry none (the first path does).
export const layerTarFormat = (nodes: readonly TreeNode[]): TarFormat =>
  nodes.some((n) => n.data._tag !== "HardLink" && n.xattrs !== undefined && n.xattrs.length > 0) ? "pax" : "gnu";
