import { readFileSync } from "node:fs";
import * as path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import type { ValidateFunction } from "ajv-draft-04";
import ajvFormats from "ajv-formats";

// The OCI image-spec's own JSON schemas, as Debian ships them (golang-github-opencontainers-image-spec-dev).
export const OCI_SCHEMA_DIR = "/usr/share/gocode/src/github.com/opencontainers/image-spec/schema";
export const OCI_SCHEMA_PACKAGE = "golang-github-opencontainers-image-spec-dev";

const BASE = "https://opencontainers.org/schema/";
const DRAFT_04 = "http://json-schema.org/draft-04/schema#";
const FILES = ["defs.json", "defs-descriptor.json", "content-descriptor.json", "image-index-schema.json", "image-manifest-schema.json", "config-schema.json", "image-layout-schema.json"] as const;

// The schemas $ref each other by file name ("defs.json#/definitions/int64") relative to `id`s
// that do not share a folder, and nested `id`s move the base again; the Go loader maps every
// such URI back to a file name. Here each file gets the id BASE + its name, references become
// absolute, and nested ids (only labels) go, so every $ref resolves to the file it names.
// `$schema` says https://json-schema.org/draft-04/schema#; draft-04's meta-schema is the http URI.
const normalise = (value: unknown, top: boolean, file: string): unknown => {
  if (Array.isArray(value)) return value.map((v) => normalise(v, false, file));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "id" && typeof inner === "string") continue;
    if (key === "$schema") {
      out[key] = DRAFT_04;
      continue;
    }
    out[key] = key === "$ref" && typeof inner === "string" && !inner.startsWith("#") ? BASE + inner : normalise(inner, false, file);
  }
  if (top) out["id"] = BASE + file;
  return out;
};

export interface OciValidators {
  readonly index: ValidateFunction;
  readonly manifest: ValidateFunction;
  readonly config: ValidateFunction;
  readonly layout: ValidateFunction;
}

export const loadOciSchemas = (): OciValidators => {
  const ajv = new AjvDraft04.default({ allErrors: true, strict: true });
  ajvFormats.default(ajv);
  for (const file of FILES) ajv.addSchema(normalise(JSON.parse(readFileSync(path.join(OCI_SCHEMA_DIR, file), "utf8")), true, file) as object);
  const get = (file: (typeof FILES)[number]): ValidateFunction => {
    const validate = ajv.getSchema(BASE + file);
    if (validate === undefined) throw new Error(`bug: schema ${file} did not compile`);
    return validate;
  };
  return {
    index: get("image-index-schema.json"),
    manifest: get("image-manifest-schema.json"),
    config: get("config-schema.json"),
    layout: get("image-layout-schema.json"),
  };
};

// Ajv's errors as lines a failing assertion can show.
export const schemaErrors = (validate: ValidateFunction, document: unknown): readonly string[] =>
  validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword}`);
