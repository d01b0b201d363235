import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import type { ValidateFunction } from "ajv-draft-04";
import ajvFormats from "ajv-formats";

// The OCI runtime-spec's own JSON schemas, as Debian ships them (golang-github-opencontainers-specs-dev,
// which provides golang-github-opencontainers-runtime-spec-dev).
export const RUNTIME_SCHEMA_DIR = "/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema";
export const RUNTIME_SCHEMA_PACKAGE = "golang-github-opencontainers-specs-dev";

const BASE = "https://opencontainers.org/runtime-schema/";
const DRAFT_04 = "http://json-schema.org/draft-04/schema#";

// The files $ref each other by name ("defs.json#/definitions/Mount", "config-linux.json#/linux"):
// each gets the id BASE + its name and every such reference becomes absolute.
const normalise = (value: unknown, top: boolean, file: string): unknown => {
  if (Array.isArray(value)) return value.map((v) => normalise(v, false, file));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "$schema") out[key] = DRAFT_04;
    else out[key] = key === "$ref" && typeof inner === "string" && !inner.startsWith("#") ? BASE + inner : normalise(inner, false, file);
  }
  if (top) out["id"] = BASE + file;
  return out;
};

/** The validator of a bundle's config.json (config-schema.json, with the platform schemas it names). */
export const loadRuntimeConfigSchema = (): ValidateFunction => {
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  for (const file of readdirSync(RUNTIME_SCHEMA_DIR).filter((f) => f.endsWith(".json") && f !== "state-schema.json"))
    ajv.addSchema(normalise(JSON.parse(readFileSync(path.join(RUNTIME_SCHEMA_DIR, file), "utf8")), true, file) as object);
  const validate = ajv.getSchema(`${BASE}config-schema.json`);
  if (validate === undefined) throw new Error("bug: config-schema.json did not compile");
  return validate;
};

export const schemaErrors = (validate: ValidateFunction, document: unknown): readonly string[] =>
  validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword}`);
