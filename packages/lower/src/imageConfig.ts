import * as E from "fp-ts/lib/Either.js";
import type { ContainerConfig, ImageConfig, JsonObject } from "@ocistage/oci";
import { CONTAINER_CONFIG_FIELDS, IMAGE_CONFIG_FIELDS, decodeImageConfig, isJson } from "@ocistage/oci";
import type { BaseImage, ImageConfigBody } from "@ocistage/program";
import { onBase } from "./baseConfig.ts";
import type { ImageSpec, SpecIssue } from "@ocistage/spec";

/** The fields of an image, in either spec form (everything but its name and layers). */
export type ImageFields = Omit<ImageSpec, "name" | "layers">;

// RFC 3339 without fractional seconds, as Go and the OCI examples write `created`.
export const rfc3339 = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

export const envList = (env: ImageFields["env"]): readonly string[] =>
  env === undefined ? [] : Array.isArray(env) ? env : Object.entries(env as Record<string, string>).map(([k, v]) => `${k}=${v}`);

export const portKey = (port: string | number): string => (typeof port === "number" || !port.includes("/") ? `${port}/tcp` : port);

const emptySet = (keys: readonly string[]): { readonly [key: string]: JsonObject } => Object.fromEntries(keys.map((k) => [k, {}]));

/** `labels` with `labelPrefix` applied: `{title: x}` and "org.opencontainers.image" → `org.opencontainers.image.title`. */
export const prefixedLabels = (fields: ImageFields): Readonly<Record<string, string>> | undefined => {
  if (fields.labels === undefined) return undefined;
  const prefix = fields.labelPrefix;
  if (prefix === undefined) return fields.labels;
  const join = prefix.endsWith(".") ? prefix : `${prefix}.`;
  return Object.fromEntries(Object.entries(fields.labels).map(([k, v]) => [`${join}${k}`, v]));
};

const containerConfig = (fields: ImageFields): ContainerConfig => {
  const labels = prefixedLabels(fields);
  return {
    ...(fields.user === undefined ? {} : { User: fields.user }),
    ...(fields.exposedPorts === undefined || fields.exposedPorts.length === 0 ? {} : { ExposedPorts: emptySet(fields.exposedPorts.map(portKey)) }),
    ...(fields.env === undefined ? {} : { Env: envList(fields.env) }),
    ...(fields.entrypoint === undefined ? {} : { Entrypoint: fields.entrypoint }),
    ...(fields.cmd === undefined ? {} : { Cmd: fields.cmd }),
    ...(fields.volumes === undefined || fields.volumes.length === 0 ? {} : { Volumes: emptySet(fields.volumes) }),
    ...(fields.workingDir === undefined ? {} : { WorkingDir: fields.workingDir }),
    ...(labels === undefined ? {} : { Labels: labels }),
    ...(fields.stopSignal === undefined ? {} : { StopSignal: fields.stopSignal }),
  };
};

const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null && !Array.isArray(u);

/** Objects merge key by key, recursively; anything else (arrays included) replaces (seed 000's extraConfig). */
export const deepMerge = (base: unknown, extra: unknown): unknown =>
  isObject(base) && isObject(extra) ? Object.fromEntries([...new Set([...Object.keys(base), ...Object.keys(extra)])].map((k) => [k, k in extra ? deepMerge(base[k], extra[k]) : base[k]])) : extra;

// Fields the build computes from the layers: a spec that set them would describe another image.
const COMPUTED = new Set(["rootfs", "history"]);

const extraConfigIssues = (extra: Readonly<Record<string, unknown>>, at: string): readonly SpecIssue[] => {
  const issues: SpecIssue[] = [];
  for (const key of Object.keys(extra)) {
    if (COMPUTED.has(key)) issues.push({ at: `${at}.${key}`, message: "is computed by the build from the layers; it cannot be given" });
    else if (!(IMAGE_CONFIG_FIELDS as readonly string[]).includes(key)) issues.push({ at: `${at}.${key}`, message: `not a field of the OCI image config (known: ${IMAGE_CONFIG_FIELDS.filter((k) => !COMPUTED.has(k)).join(", ")})` });
  }
  const config = extra["config"];
  if (isObject(config))
    for (const key of Object.keys(config))
      if (!(CONTAINER_CONFIG_FIELDS as readonly string[]).includes(key)) issues.push({ at: `${at}.config.${key}`, message: `not a field of the OCI image config's config (known: ${CONTAINER_CONFIG_FIELDS.join(", ")})` });
  if (!isJson(extra)) issues.push({ at, message: "must be plain JSON data (objects, arrays, strings, numbers, booleans, null)" });
  return issues;
};

// The spec field each config field comes from (config.md's names → the spec's).
const SPEC_FIELD: Readonly<Record<string, string>> = {
  "config.User": "user",
  "config.ExposedPorts": "exposedPorts",
  "config.Env": "env",
  "config.Entrypoint": "entrypoint",
  "config.Cmd": "cmd",
  "config.Volumes": "volumes",
  "config.WorkingDir": "workingDir",
  "config.Labels": "labels",
  "config.StopSignal": "stopSignal",
  author: "author",
  architecture: "architecture",
  os: "os",
  variant: "variant",
};

/** A lowered config and, per config field ("config.Env", "author"), the spec path it came from. */
export interface LoweredConfig {
  readonly config: ImageConfigBody;
  readonly fieldAt: Readonly<Record<string, string>>;
}

// Where each field of `body` came from: the spec's own field, extraConfig where it set it, or
// the base (`from`) for what the image inherits and does not set itself.
const fieldsAt = (body: ImageConfigBody, at: string, extra: Readonly<Record<string, unknown>> | undefined, fields: ImageFields): Readonly<Record<string, string>> => {
  const prefix = at === "" ? "" : `${at}.`;
  const keys = [...Object.keys(body).filter((k) => k !== "config"), ...Object.keys(body.config ?? {}).map((k) => `config.${k}`)];
  const fromExtra = (key: string): boolean => {
    const [top, inner] = key.split(".", 2) as [string, string | undefined];
    if (extra === undefined || !(top in extra)) return false;
    return inner === undefined || (isObject(extra[top]) && inner in (extra[top] as Record<string, unknown>));
  };
  const fromBase = (key: string): boolean => {
    if (fields.from === undefined) return false;
    const own = SPEC_FIELD[key];
    return own === undefined ? key.startsWith("config.") || key === "os.version" || key === "os.features" : (fields as Readonly<Record<string, unknown>>)[own] === undefined && !["architecture", "os", "variant"].includes(key);
  };
  return Object.fromEntries(keys.map((key) => [key, fromExtra(key) ? `${prefix}extraConfig.${key}` : fromBase(key) ? `${prefix}from` : `${prefix}${SPEC_FIELD[key] ?? key}`]));
};

/**
 * The OCI image config of one image (image-spec config.md), all but `rootfs`, whose diff_ids are
 * digests known only when layers are tarred. Absent spec fields stay absent (or the base's, see
 * baseConfig.ts, when `base` is given); `extraConfig` is deep-merged last and must leave a valid
 * config (errors at `<at>.extraConfig.<field>`).
 */
export const imageConfig = (fields: ImageFields, layers: readonly string[], epoch: number, at: string, base?: BaseImage): E.Either<readonly SpecIssue[], LoweredConfig> => {
  const created = rfc3339(epoch);
  const execution = containerConfig(fields);
  const own: ImageConfigBody = {
    created,
    ...(fields.author === undefined ? {} : { author: fields.author }),
    architecture: fields.architecture ?? "amd64",
    os: fields.os ?? "linux",
    ...(fields.variant === undefined ? {} : { variant: fields.variant }),
    config: execution,
    history: layers.map((layer) => ({ created, created_by: `ocistage tar-layer-${layer}` })),
  };
  const body = base === undefined ? own : onBase(base, own);
  if (fields.extraConfig === undefined) return E.right({ config: body, fieldAt: fieldsAt(body, at, undefined, fields) });
  const extraAt = `${at === "" ? "" : `${at}.`}extraConfig`;
  const issues = extraConfigIssues(fields.extraConfig, extraAt);
  if (issues.length > 0) return E.left(issues);
  const merged = deepMerge(body, fields.extraConfig);
  const decoded = decodeImageConfig({ ...(merged as object), rootfs: { type: "layers", diff_ids: [] } });
  if (E.isLeft(decoded)) return E.left(decoded.left.problems.map((p) => ({ at: p.path === "" ? extraAt : `${extraAt}.${p.path}`, message: `expected ${p.expected}, found ${p.found}` })));
  const { rootfs: _rootfs, ...rest }: ImageConfig = decoded.right;
  return E.right({ config: rest, fieldAt: fieldsAt(rest, at, fields.extraConfig, fields) });
};
