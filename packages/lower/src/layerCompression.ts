import type { Compression, Tool } from "@ocistage/program";
import { TOOLS } from "@ocistage/program";
import type { SpecIssue } from "@ocistage/spec";
import type { LayoutPlan } from "./layoutOf.ts";

const imageAt = (at: string, name: string): string => (at === "" ? `the image ${name}` : `${at} (${name})`);
const compressionAt = (at: string): string => (at === "" ? "compression" : `${at}.compression`);

/**
 * How each layer of the plan is stored (README, "Compressed layers"), by layer name. `override`
 * (`build --compression`) wins over everything; then the layer's own `compression`; then that of
 * the images using it; else "none". A layer is one blob, so a layer without a setting of its own
 * used by images that store their layers differently is an issue naming both images (set the
 * layer's own `compression`, or give each image a layer of its own).
 */
export const layerCompression = (
  plan: LayoutPlan,
  override: Compression | undefined,
): { readonly compression: ReadonlyMap<string, Compression>; readonly issues: readonly SpecIssue[] } => {
  const compression = new Map<string, Compression>();
  const issues: SpecIssue[] = [];
  for (const { layer, at } of plan.layers) {
    const own = override ?? layer.compression;
    if (own !== undefined) {
      compression.set(layer.name, own);
      continue;
    }
    const users = plan.images.filter((image) => image.layers.includes(layer.name));
    const first = users[0];
    const chosen: Compression = first?.fields.compression ?? "none";
    const other = users.find((image) => (image.fields.compression ?? "none") !== chosen);
    if (first !== undefined && other !== undefined)
      issues.push({
        at,
        message: `layer "${layer.name}" would be stored ${chosen} by ${imageAt(first.at, first.name)} and ${other.fields.compression ?? "none"} by ${imageAt(other.at, other.name)}, but a layer is one blob: set ${compressionAt(at)}, or give each image a layer of its own`,
      });
    compression.set(layer.name, chosen);
  }
  return { compression, issues };
};

/** The compressors a shell substrate needs for these layers (gzip before zstd), as program tools. */
export const compressorTools = (compression: ReadonlyMap<string, Compression>): readonly Tool[] =>
  (["gzip", "zstd"] as const).filter((codec) => [...compression.values()].includes(codec)).map((codec) => TOOLS[codec]);
