import type { Json, JsonObject, Program, Step } from "@ocistage/program";
import { matchStep } from "@ocistage/program";

// The image's fields as the spec gave them, recovered from the program: the layers from
// the steps that assemble them, the execution settings from the config step.
export interface ImageFields {
  readonly layers: readonly { readonly name: string; readonly entries: number; readonly inputs: readonly string[] }[];
  readonly config: JsonObject; // the OCI config's `config` object (Entrypoint, Env, …)
  readonly created?: string;
  readonly author?: string;
}

type Found = Partial<{ -readonly [K in keyof ImageFields]: ImageFields[K] }>;

const SOURCE_PREFIX = "source:";

const found: (step: Step) => Found = matchStep<Found>({
  WriteLayoutFile: () => ({}),
  AssembleRootfs: (step) => ({
    layers: [{ name: step.layer, entries: step.entries.length, inputs: step.inputs.filter((i) => i.startsWith(SOURCE_PREFIX)).map((i) => i.slice(SOURCE_PREFIX.length)) }],
  }),
  TarLayer: () => ({}),
  WriteConfig: (step) => {
    const config = step.config["config"];
    const created = step.config["created"];
    const author = step.config["author"];
    return {
      config: typeof config === "object" && config !== null && !Array.isArray(config) ? (config as JsonObject) : {},
      ...(typeof created === "string" ? { created } : {}),
      ...(typeof author === "string" ? { author } : {}),
    };
  },
  WriteManifest: () => ({}),
  WriteIndex: () => ({}),
  VerifyBlobs: () => ({}),
  CleanScratch: () => ({}),
  ArchiveLayout: () => ({}),
});

export const imageFields = (program: Program): ImageFields => {
  const layers: ImageFields["layers"][number][] = [];
  let fields: Found = {};
  for (const step of program.steps) {
    const more = found(step);
    layers.push(...(more.layers ?? []));
    fields = { ...fields, ...more };
  }
  return { ...fields, layers, config: fields.config ?? {} };
};

// The OCI config's names, in the spec's words.
const SPEC_NAMES: Readonly<Record<string, string>> = {
  User: "user",
  ExposedPorts: "exposedPorts",
  Env: "env",
  Entrypoint: "entrypoint",
  Cmd: "cmd",
  Volumes: "volumes",
  WorkingDir: "workingDir",
  Labels: "labels",
  StopSignal: "stopSignal",
};

const keysOf = (value: Json): readonly string[] => (typeof value === "object" && value !== null && !Array.isArray(value) ? Object.keys(value) : []);

// One line per field, values as the config holds them (`code` formats a value for the page).
export const imageFieldLines = (program: Program, code: (text: string) => string): readonly string[] => {
  const fields = imageFields(program);
  const { image } = program;
  const platform = [image.platform.os, image.platform.architecture, ...(image.platform.variant === undefined ? [] : [image.platform.variant])].join("/");
  const configLine = ([key, value]: readonly [string, Json]): string => {
    const name = SPEC_NAMES[key] ?? key;
    if (key === "ExposedPorts" || key === "Volumes") return `${name}: ${keysOf(value).map(code).join(", ")}`;
    if (key === "Labels") return `${name}: ${Object.entries(value as JsonObject).map(([k, v]) => code(`${k}=${String(v)}`)).join(", ")}`;
    if (key === "Env" && Array.isArray(value)) return `${name}: ${value.map((v) => code(String(v))).join(", ")}`;
    return `${name}: ${code(typeof value === "string" ? value : JSON.stringify(value))}`;
  };
  return [
    `name: ${code(image.name)}`,
    `tag: ${code(image.tag)}`,
    `platform: ${code(platform)}`,
    `layers: ${fields.layers.map((l) => `${code(l.name)} (${l.entries} ${l.entries === 1 ? "entry" : "entries"})`).join(", ")}`,
    ...Object.entries(fields.config).map(configLine),
    ...(fields.author === undefined ? [] : [`author: ${code(fields.author)}`]),
    ...(fields.created === undefined ? [] : [`created: ${code(fields.created)} (SOURCE_DATE_EPOCH ${program.sourceDateEpoch})`]),
  ];
};
