import type { JsonObject } from "@ocistage/program";
import type { ImageSpec } from "@ocistage/spec";

// RFC 3339 without fractional seconds, as Go and the OCI examples write `created`.
export const rfc3339 = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

export const envList = (env: ImageSpec["env"]): readonly string[] =>
  env === undefined ? [] : Array.isArray(env) ? env : Object.entries(env as Record<string, string>).map(([k, v]) => `${k}=${v}`);

export const portKey = (port: string | number): string => (typeof port === "number" || !port.includes("/") ? `${port}/tcp` : port);

const emptyObjects = (keys: readonly string[]): JsonObject => Object.fromEntries(keys.map((k) => [k, {}]));

// The OCI image config, all but `rootfs` (its diff_ids are digests, known only when layers are tarred).
// Absent spec fields stay absent: the config says exactly what the spec says.
export const imageConfig = (spec: ImageSpec, epoch: number): JsonObject => {
  const created = rfc3339(epoch);
  const execution: Record<string, JsonObject[string]> = {};
  if (spec.user !== undefined) execution["User"] = spec.user;
  if (spec.exposedPorts !== undefined && spec.exposedPorts.length > 0) execution["ExposedPorts"] = emptyObjects(spec.exposedPorts.map(portKey));
  if (spec.env !== undefined) execution["Env"] = envList(spec.env);
  if (spec.entrypoint !== undefined) execution["Entrypoint"] = spec.entrypoint;
  if (spec.cmd !== undefined) execution["Cmd"] = spec.cmd;
  if (spec.volumes !== undefined && spec.volumes.length > 0) execution["Volumes"] = emptyObjects(spec.volumes);
  if (spec.workingDir !== undefined) execution["WorkingDir"] = spec.workingDir;
  if (spec.labels !== undefined) execution["Labels"] = spec.labels;
  if (spec.stopSignal !== undefined) execution["StopSignal"] = spec.stopSignal;
  return {
    created,
    ...(spec.author === undefined ? {} : { author: spec.author }),
    architecture: spec.architecture ?? "amd64",
    os: spec.os ?? "linux",
    ...(spec.variant === undefined ? {} : { variant: spec.variant }),
    config: execution,
    history: spec.layers.map((layer) => ({ created, created_by: `ocistage tar-layer-${layer.name}` })),
  };
};
