import type { Program } from "@ocistage/program";

// The shell variables that carry a layer's digest and size from its tar step to the config,
// manifest and index: layer_<name>_hex / layer_<name>_size, with "." and "-" as "_"; by
// position (layer_1_hex) if two names would meet.
export interface LayerVariables {
  readonly hex: string;
  readonly size: string;
  readonly diff: string; // a compressed layer's diff_id (hex): layer_<name>_diff; an uncompressed one's is its hex
}

const layersOf = (program: Program): readonly string[] => [
  ...new Set(program.steps.flatMap((s) => (s._tag === "AssembleRootfs" || s._tag === "TarLayer" ? [s.layer] : []))),
];

export const layerVariables = (program: Program): ReadonlyMap<string, LayerVariables> => {
  const layers = layersOf(program);
  const stems = layers.map((layer) => layer.replace(/[^a-z0-9_]/g, "_"));
  const distinct = new Set(stems).size === stems.length;
  return new Map(
    layers.map((layer, i) => {
      const stem = `layer_${distinct ? stems[i] : String(i + 1)}`;
      return [layer, { hex: `${stem}_hex`, size: `${stem}_size`, diff: `${stem}_diff` }] as const;
    }),
  );
};

export const variablesOf = (variables: ReadonlyMap<string, LayerVariables>, layer: string): LayerVariables => {
  const found = variables.get(layer);
  if (found === undefined) throw new Error(`bug: layer ${layer} has no tar step`);
  return found;
};

// The variables that carry a document's digest and size (a config, a manifest, an image index)
// to the documents that name it: config_hex / manifest_hex in a program of one image (the names
// the script always had), else config_<image>_hex and so on, by position if two names would meet.
export const documentVariables = (program: Program): ReadonlyMap<string, LayerVariables> => {
  const documents = program.steps.flatMap((s): readonly (readonly [string, string])[] =>
    s._tag === "WriteConfig" ? [[s.name, `config:${s.image}`]] : s._tag === "WriteManifest" ? [[s.name, `manifest:${s.image}`]] : s._tag === "WriteImageIndex" ? [[s.name, `image_index:${s.group}`]] : [],
  );
  const single = program.images.length === 1;
  const stems = documents.map(([, key]) => {
    const [role, id] = key.split(":") as [string, string];
    return single && role !== "image_index" ? role : `${role}_${id.replace(/[^a-z0-9_]/g, "_")}`;
  });
  const distinct = new Set(stems).size === stems.length;
  return new Map(documents.map(([step, key], i) => {
    const stem = distinct ? stems[i] : `${key.split(":")[0]}_${i + 1}`;
    return [step, { hex: `${stem}_hex`, size: `${stem}_size`, diff: `${stem}_hex` }] as const;
  }));
};
