import type { Compression, Json, JsonObject, Program, StepOf } from "@ocistage/program";
import { imageTitle } from "@ocistage/program";

// An image's fields as the spec gave them, recovered from the program: its layers from the
// steps that assemble them, the execution settings from its typed config.

export interface LayerFacts {
  readonly name: string;
  readonly entries: number;
  readonly inputs: readonly string[];
  readonly compression: Compression; // how its tar step stores it
}

const SOURCE_PREFIX = "source:";

/** Every layer of the program once, in program order: name, entry count and source inputs. */
export const layerFacts = (program: Program): readonly LayerFacts[] => {
  const compression = new Map(program.steps.flatMap((s) => (s._tag === "TarLayer" ? [[s.layer, s.compression] as const] : [])));
  return program.steps.flatMap((step) =>
    step._tag === "AssembleRootfs"
      ? [{ name: step.layer, entries: step.entries.length, inputs: step.inputs.filter((i) => i.startsWith(SOURCE_PREFIX)).map((i) => i.slice(SOURCE_PREFIX.length)), compression: compression.get(step.layer) ?? "none" }]
      : [],
  );
};

// "16 entries", and how the layer is stored when it is compressed ("16 entries, gzip").
const layerNote = (facts: LayerFacts | undefined): string => {
  const entries = `${facts?.entries ?? 0} ${facts?.entries === 1 ? "entry" : "entries"}`;
  return facts === undefined || facts.compression === "none" ? entries : `${entries}, ${facts.compression}`;
};

// A config field named as the spec gave it (WriteConfig.fieldAt), without the image's own
// prefix ("images[0].env" → "env"); one the program does not place, by its OCI path.
// A field the image inherits from its base (fieldAt says `from`) is shown by its config name.
const specName = (fieldAt: Readonly<Record<string, string>>, key: string): string => {
  const name = (fieldAt[key] ?? key).replace(/^images\[\d+\]\./, "");
  return name === "from" ? `${key.replace(/^config\./, "")} (from the base)` : name;
};

const keysOf = (value: Json): readonly string[] => (typeof value === "object" && value !== null && !Array.isArray(value) ? Object.keys(value) : []);

/** One image's lines, values as its config holds them (`code` formats a value for the page). */
const linesOf = (program: Program, id: string, code: (text: string) => string): readonly string[] => {
  const image = program.images.find((i) => i.id === id);
  const step = program.steps.find((s): s is StepOf<"WriteConfig"> => s._tag === "WriteConfig" && s.image === id);
  if (image === undefined || step === undefined) return [];
  const facts = new Map(layerFacts(program).map((l) => [l.name, l] as const));
  const platform = [image.platform.os, image.platform.architecture, ...(image.platform.variant === undefined ? [] : [image.platform.variant])].join("/");
  const configLine = ([key, value]: readonly [string, Json]): string => {
    const name = specName(step.fieldAt, `config.${key}`);
    if (key === "ExposedPorts" || key === "Volumes") return `${name}: ${keysOf(value).map(code).join(", ")}`;
    if (key === "Labels") return `${name}: ${Object.entries(value as JsonObject).map(([k, v]) => code(`${k}=${String(v)}`)).join(", ")}`;
    if (key === "Env" && Array.isArray(value)) return `${name}: ${value.map((v) => code(String(v))).join(", ")}`;
    return `${name}: ${code(typeof value === "string" ? value : JSON.stringify(value))}`;
  };
  const tag = image.reference.tag;
  const { config } = step;
  const imported = step.base === undefined ? undefined : program.steps.find((s): s is StepOf<"ImportBase"> => s._tag === "ImportBase" && s.name === step.base?.step);
  const baseLine =
    imported === undefined ? [] : [`from: ${code(imported.base.written)} (manifest ${code(imported.base.digest)}, ${imported.base.layers.length} layer${imported.base.layers.length === 1 ? "" : "s"} reused by digest)`];
  return [
    ...baseLine,
    `name: ${code(image.name)}`,
    // With one image the page's introduction is its description; with several, each says its own.
    ...(program.images.length > 1 && image.description !== undefined ? [`description: ${image.description}`] : []),
    `tag: ${tag._tag === "Given" ? code(tag.tag) : "derived from the digest"}`,
    `platform: ${code(platform)}`,
    `layers: ${image.layers.map((name) => `${code(name)} (${layerNote(facts.get(name))})`).join(", ")}`,
    ...Object.entries((config.config ?? {}) as JsonObject).map(configLine),
    ...(config.author === undefined ? [] : [`author: ${code(config.author)}`]),
    ...(config.created === undefined ? [] : [`created: ${code(config.created)} (SOURCE_DATE_EPOCH ${program.sourceDateEpoch})`]),
  ];
};

/** The image-fields lines of every image: one group per image, titled by its reference when there are several. */
export const imageFieldGroups = (program: Program, code: (text: string) => string): readonly { readonly title?: string; readonly lines: readonly string[] }[] =>
  program.images.length === 1
    ? [{ lines: linesOf(program, program.images[0]?.id ?? "", code) }]
    : program.images.map((i) => ({ title: imageTitle(program, i.id), lines: linesOf(program, i.id, code) }));
