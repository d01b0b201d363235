import { createHash } from "node:crypto";
import { canonicalJson } from "@ocistage/oci";
import type { ImageConfig, Json } from "@ocistage/oci";

/** A folder of the pre-1.10 `docker save` layout: `<id>/VERSION`, `<id>/json`, `<id>/layer.tar`. */
export interface LegacyLayer {
  readonly id: string; // 64 hex digits
  readonly json: string;
  readonly diffHex: string; // its layer.tar is a link to `../<diffHex>.tar`
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * The v1 layer folders of one image, base first. `repositories` (the legacy index) names an
 * image by the id of its top folder, so every id is derived from what it stands for: a lower
 * layer's from the image-spec ChainID of the layers up to it (two images sharing those layers
 * share the folder), the top one's from the ChainID and the config's digest (two images with
 * the same layers but different configs get different top folders). The top folder's `json` is
 * the image config less `rootfs` and `history`, as Docker wrote it.
 */
export const legacyLayers = (config: ImageConfig, configDigest: string): readonly LegacyLayer[] => {
  const layers: LegacyLayer[] = [];
  let chain = "";
  const diffIds = config.rootfs.diff_ids;
  for (const [i, diffId] of diffIds.entries()) {
    chain = i === 0 ? diffId : `sha256:${sha256(`${chain} ${diffId}`)}`;
    const top = i === diffIds.length - 1;
    const id = top ? sha256(`${chain} ${configDigest}`) : chain.replace(/^sha256:/, "");
    const parent = layers[i - 1]?.id;
    const { rootfs: _rootfs, history: _history, ...rest } = config;
    const body: Record<string, Json> = { ...(top ? (rest as unknown as Record<string, Json>) : {}), id, ...(parent === undefined ? {} : { parent }) };
    layers.push({ id, json: canonicalJson(body), diffHex: diffId.replace(/^sha256:/, "") });
  }
  return layers;
};
