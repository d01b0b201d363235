import * as E from "fp-ts/lib/Either.js";
import type { StandardLayoutSpec } from "./decodeStandardSpec.ts";
import type { DesugaredLayer, DesugaredStandard } from "./desugarStandardImage.ts";
import { desugarStandardImage } from "./desugarStandardImage.ts";
import type { LayerBody, LayoutImage, LayoutSpec } from "./LayoutSpec.ts";
import type { SpecIssue } from "./SpecError.ts";
import type { SpecOrigins } from "./SpecOrigins.ts";
import type { StandardImage } from "./StandardImage.ts";

// A spec holding standard images → an ordinary layout (the `images` form), and where each of its
// paths came from. Purely data to data: every view, the build and both emitters then see ordinary
// layers, entries and configs. A single standard image becomes a layout (its tag, when not given,
// is derived from its digest, as a layout's is) of the image and, with `debug`, NAME-debug.

/** A decoded spec holding standard images, in the form it was written in. */
export type StandardSource = { readonly _tag: "Image"; readonly image: StandardImage } | { readonly _tag: "Layout"; readonly layout: StandardLayoutSpec };

const isStandard = (image: LayoutImage | StandardImage): image is StandardImage => "kind" in image;

const layerBody = (layer: DesugaredLayer): LayerBody => ({ files: layer.entries.map((p) => p.entry) });

// The fields of a file entry, each of which a generated entry maps to its origin as a whole.
const ENTRY_FIELDS = ["source", "symlink", "content", "directory", "json", "script", "destination", "interpreter", "mode", "uid", "gid"];

const layerOrigins = (layers: readonly DesugaredLayer[]): SpecOrigins =>
  layers.flatMap((layer) => [
    [`layers.${layer.name}`, layer.origin] as const,
    ...layer.entries.flatMap((p, k) => {
      const at = `layers.${layer.name}.files[${k}]`;
      return [[at, p.origin] as const, ...(p.generated === true ? ENTRY_FIELDS.map((f) => [`${at}.${f}`, p.origin] as const) : [])];
    }),
  ]);

// The page's introduction when there are two images (each image's fields say the rest).
const layoutDescription = (image: StandardImage, parts: DesugaredStandard): string => {
  const debug = parts.debug === undefined ? "" : ` and its debug image ${parts.debug.name} (the same layers and one of debugging tools, with /bin/debug)`;
  return `${image.description === undefined ? "" : `${image.description} `}Standard image ${image.name} (contracts ${parts.contracts.join(", ")})${debug}.`;
};

const single = (image: StandardImage): E.Either<readonly SpecIssue[], { readonly layout: LayoutSpec; readonly origins: SpecOrigins }> => {
  const parts = desugarStandardImage(image, "", image.name);
  if (parts.issues.length > 0) return E.left(parts.issues);
  const images = parts.debug === undefined ? [parts.standard] : [parts.standard, parts.debug];
  return E.right({
    layout: { name: image.name, description: layoutDescription(image, parts), layers: Object.fromEntries(parts.layers.map((l) => [l.name, layerBody(l)])), images },
    origins: [...images.map((_, i) => [`images[${i}]`, ""] as const), ...layerOrigins(parts.layers)],
  });
};

const layout = (spec: StandardLayoutSpec): E.Either<readonly SpecIssue[], { readonly layout: LayoutSpec; readonly origins: SpecOrigins }> => {
  const standardNames = spec.images.filter(isStandard).map((i) => i.name);
  // Layer names start with the image's name; images of one name (several platforms) add their index.
  const parts = new Map<number, DesugaredStandard>();
  spec.images.forEach((image, i) => {
    if (!isStandard(image)) return;
    const base = standardNames.filter((n) => n === image.name).length > 1 ? `${image.name}-${i}` : image.name;
    parts.set(i, desugarStandardImage(image, `images[${i}]`, base));
  });
  const issues = [...parts.values()].flatMap((p) => p.issues);
  const taken = new Set([...Object.keys(spec.layers ?? {}), ...spec.images.flatMap((image) => (isStandard(image) ? [] : image.layers.flatMap((l) => (typeof l === "string" ? [] : [l.name]))))]);
  for (const [i, p] of parts)
    for (const layer of p.layers)
      if (taken.has(layer.name)) issues.push({ at: `images[${i}].name`, message: `this standard image's layer ${JSON.stringify(layer.name)} has the name of a layer the spec defines; rename one of them` });
  if (issues.length > 0) return E.left(issues);
  // Images keep their places (their paths stay the user's); the debug images come after them all.
  const images: LayoutImage[] = spec.images.map((image, i) => parts.get(i)?.standard ?? (image as LayoutImage));
  const origins: (readonly [string, string])[] = [];
  for (const [i, p] of parts) {
    if (p.debug !== undefined) {
      origins.push([`images[${images.length}]`, `images[${i}]`]);
      images.push(p.debug);
    }
    origins.push(...layerOrigins(p.layers));
  }
  const layers = { ...spec.layers, ...Object.fromEntries([...parts.values()].flatMap((p) => p.layers.map((l) => [l.name, layerBody(l)] as const))) };
  return E.right({ layout: { ...spec, layers, images }, origins });
};

/**
 * Desugar every standard image of `source` (desugarStandardImage.ts) into an ordinary layout.
 * Fails with every issue of every image, each at the path the user wrote.
 */
export const desugarStandard = (source: StandardSource): E.Either<readonly SpecIssue[], { readonly layout: LayoutSpec; readonly origins: SpecOrigins }> =>
  source._tag === "Image" ? single(source.image) : layout(source.layout);
