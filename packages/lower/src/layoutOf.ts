import type { LayerSpec, Spec, SpecIssue } from "@ocistage/spec";
import { LAYER_NAME } from "@ocistage/spec";
import type { ImageFields } from "./imageConfig.ts";

/** A layer defined once, wherever the spec defined it (`at`), and used by one or more images. */
export interface LayerDefinition {
  readonly layer: LayerSpec;
  readonly at: string;
}

/** One image as the spec gives it: where (`at`, "" in the single-image form), its fields and its layers by name. */
export interface ImageUse {
  readonly at: string;
  readonly name: string;
  readonly fields: ImageFields;
  readonly layers: readonly string[];
  readonly referencePrefix: string; // "" in the single-image form (ref.name is the tag), "NAME:" in a layout
  readonly tag: string | undefined; // undefined: derived from the digest
}

/** Both spec forms as one shape: every layer once, in order of first use, and every image. */
export interface LayoutPlan {
  readonly name: string;
  readonly description?: string;
  readonly layers: readonly LayerDefinition[];
  readonly images: readonly ImageUse[];
}

const fieldsOf = <T extends { readonly name: string; readonly layers: unknown }>(image: T): Omit<T, "name" | "layers"> => {
  const { name: _name, layers: _layers, ...fields } = image;
  return fields;
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Spec → LayoutPlan, checking how images refer to layers: a name must be a key of `layers`;
 * an inline layer may not reuse a name for other contents; a defined layer nobody uses is an
 * error (it is most often a typo). The single-image form keeps its paths (`layers[0]`).
 */
export const layoutOf = (spec: Spec): { readonly plan: LayoutPlan; readonly issues: readonly SpecIssue[] } => {
  if (spec._tag === "Image") {
    const image = spec.image;
    return {
      plan: {
        name: image.name,
        ...(image.description === undefined ? {} : { description: image.description }),
        layers: image.layers.map((layer, i) => ({ layer, at: `layers[${i}]` })),
        images: [{ at: "", name: image.name, fields: fieldsOf(image), layers: image.layers.map((l) => l.name), referencePrefix: "", tag: image.tag ?? "latest" }],
      },
      issues: [],
    };
  }
  const layout = spec.layout;
  const issues: SpecIssue[] = [];
  const defined = new Map<string, LayerDefinition>();
  for (const [name, body] of Object.entries(layout.layers ?? {})) {
    if (!LAYER_NAME.test(name)) issues.push({ at: `layers.${name}`, message: "a layer name is [a-z0-9][a-z0-9._-]* (it names steps and files)" });
    else defined.set(name, { layer: { name, ...body }, at: `layers.${name}` });
  }
  const used: LayerDefinition[] = [];
  const usedNames = new Set<string>();
  const use = (definition: LayerDefinition): void => {
    if (usedNames.has(definition.layer.name)) return;
    usedNames.add(definition.layer.name);
    used.push(definition);
  };
  const inline = new Map<string, LayerDefinition>();
  const images = layout.images.map((image, i): ImageUse => {
    const at = `images[${i}]`;
    const names = image.layers.map((entry, j): string => {
      const entryAt = `${at}.layers[${j}]`;
      if (typeof entry === "string") {
        const found = defined.get(entry);
        if (found === undefined) issues.push({ at: entryAt, message: `no layer named "${entry}" in layers (defined: ${[...defined.keys()].join(", ") || "none"})` });
        else use(found);
        return entry;
      }
      const earlier = defined.get(entry.name) ?? inline.get(entry.name);
      if (earlier !== undefined && !sameJson(earlier.layer, entry)) issues.push({ at: `${entryAt}.name`, message: `"${entry.name}" is already the name of another layer (${earlier.at}); a layer name stands for one layer` });
      else if (earlier === undefined) inline.set(entry.name, { layer: entry, at: entryAt });
      use(earlier ?? { layer: entry, at: entryAt });
      return entry.name;
    });
    const duplicate = names.find((n, k) => names.indexOf(n) !== k);
    if (duplicate !== undefined) issues.push({ at: `${at}.layers`, message: `layer "${duplicate}" is listed twice; an image holds a layer once` });
    return { at, name: image.name, fields: fieldsOf(image), layers: names, referencePrefix: `${image.name}:`, tag: image.tag };
  });
  for (const [name, definition] of defined) if (!usedNames.has(name)) issues.push({ at: definition.at, message: `layer "${name}" is used by no image` });
  if (layout.images.length === 0) issues.push({ at: "images", message: "expected at least one image, found none" });
  const first = layout.images[0];
  return {
    plan: {
      name: layout.name ?? first?.name ?? "layout",
      ...(layout.description === undefined ? {} : { description: layout.description }),
      layers: used,
      images,
    },
    issues,
  };
};
