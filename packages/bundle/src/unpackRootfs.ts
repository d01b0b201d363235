import * as E from "fp-ts/lib/Either.js";
import { promises as fs } from "node:fs";
import { openLayerTar } from "@ocistage/layout";
import type { BundleError } from "./BundleError.ts";
import { LayerProblem, reasonOf } from "./BundleError.ts";
import { applyLayer } from "./applyLayer.ts";
import type { UnpackState } from "./applyLayer.ts";

/** A layer to unpack: its blob file, media type (which says its compression) and digest (for messages). */
export interface UnpackLayer {
  readonly file: string;
  readonly mediaType: string;
  readonly digest: string;
}

// Errors of the tar parser or the decompressor: the layer's bytes are wrong, not the machine.
const isDataError = (e: unknown): boolean => {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return code.startsWith("Z_") || (e instanceof Error && /tar|header|zstd|invalid|unexpected end/i.test(e.message) && code === "");
};

/**
 * Unpacks an image's layers, base first, into `root` (an empty folder): each layer applied
 * onto the ones below it (applyLayer), then every folder's mode and mtime set, deepest first.
 * `privileged` (running as root) makes owners and device nodes as the tars say.
 */
export const unpackRootfs = async (root: string, layers: readonly UnpackLayer[], privileged: boolean): Promise<E.Either<BundleError, void>> => {
  const state: UnpackState = { root, privileged, folders: new Map() };
  for (const layer of layers) {
    const tar = openLayerTar(layer.file, layer.mediaType);
    if (E.isLeft(tar)) return E.left({ _tag: "BadLayer", layer: layer.digest, entry: "", reason: tar.left });
    try {
      await applyLayer(state, tar.right);
    } catch (e) {
      tar.right.destroy();
      if (e instanceof LayerProblem) return E.left({ _tag: "BadLayer", layer: layer.digest, entry: e.entry, reason: e.reason });
      if (isDataError(e)) return E.left({ _tag: "BadLayer", layer: layer.digest, entry: "", reason: `is not a readable ${layer.mediaType} (${reasonOf(e)})` });
      return E.left({ _tag: "Io", path: layer.file, reason: reasonOf(e) });
    }
  }
  try {
    const deepestFirst = [...state.folders].sort(([a], [b]) => b.length - a.length);
    for (const [folder, { mode, mtime }] of deepestFirst) {
      const stat = await fs.lstat(folder).catch(() => undefined);
      if (stat?.isDirectory() !== true) continue; // removed or replaced by a later layer
      await fs.chmod(folder, mode);
      await fs.utimes(folder, mtime, mtime);
    }
  } catch (e) {
    return E.left({ _tag: "Io", path: root, reason: reasonOf(e) });
  }
  return E.right(undefined);
};
