import type { ContainerConfig, HistoryEntry, ImageConfig } from "@ocistage/oci";
import { CONTAINER_CONFIG_FIELDS } from "@ocistage/oci";
import type { BaseImage, ImageConfigBody } from "@ocistage/program";

const envName = (entry: string): string => entry.slice(0, entry.indexOf("="));

/** Env merged by name: the base's entries in their order, each replaced by the image's of that name; the image's new names after. */
export const mergeEnv = (base: readonly string[], own: readonly string[]): readonly string[] => {
  const ownByName = new Map(own.map((e) => [envName(e), e] as const));
  const kept = base.map((e) => ownByName.get(envName(e)) ?? e);
  const baseNames = new Set(base.map(envName));
  return [...kept, ...own.filter((e) => !baseNames.has(envName(e)))];
};

const union = <T>(a: Readonly<Record<string, T>> | null | undefined, b: Readonly<Record<string, T>> | null | undefined): Readonly<Record<string, T>> | undefined =>
  a == null && b == null ? undefined : { ...(a ?? {}), ...(b ?? {}) };

// Only the fields config.md defines: a Docker config's extra keys (container_config, …) do not carry over.
const knownFields = (config: ContainerConfig | undefined): ContainerConfig =>
  Object.fromEntries(Object.entries(config ?? {}).filter(([k]) => (CONTAINER_CONFIG_FIELDS as readonly string[]).includes(k))) as ContainerConfig;

const baseHistory = (base: BaseImage): readonly HistoryEntry[] =>
  base.config.history ?? base.layers.map((l) => ({ ...(base.config.created === undefined ? {} : { created: base.config.created }), created_by: `layer ${l.digest} of ${base.written}` }));

const present = <K extends string, V>(key: K, value: V | undefined | null): { readonly [P in K]?: V } => (value == null ? {} : ({ [key]: value } as { readonly [P in K]?: V }));

/**
 * An image's config on a base (as Docker builds FROM): the base's container config is inherited
 * and the image's own fields override it field by field — `Env` merged by name, `Labels`,
 * `ExposedPorts` and `Volumes` merged, `Entrypoint` given without `Cmd` clears the base's `Cmd`
 * (Docker's rule) — and the base's history comes first. `own` is the config lowered from the
 * image's fields alone; `created`, `author` and the platform stay the image's.
 */
export const onBase = (base: BaseImage, own: ImageConfigBody): ImageConfigBody => {
  const b = knownFields(base.config.config);
  const o = own.config ?? {};
  const entrypointGiven = o.Entrypoint !== undefined;
  const cmd = o.Cmd !== undefined ? o.Cmd : entrypointGiven ? undefined : b.Cmd;
  const config: ContainerConfig = {
    ...b,
    ...o,
    ...present("Env", b.Env === undefined && o.Env === undefined ? undefined : mergeEnv(b.Env ?? [], o.Env ?? [])),
    ...present("Labels", union(b.Labels, o.Labels)),
    ...present("ExposedPorts", union(b.ExposedPorts, o.ExposedPorts)),
    ...present("Volumes", union(b.Volumes, o.Volumes)),
  };
  const { Cmd: _cmd, ...withoutCmd } = config;
  const inherited: Partial<ImageConfig> = {
    ...present("os.version", base.config["os.version"]),
    ...present("os.features", base.config["os.features"]),
  };
  return {
    ...own,
    ...inherited,
    config: cmd === undefined || cmd === null ? withoutCmd : { ...withoutCmd, Cmd: cmd },
    history: [...baseHistory(base), ...(own.history ?? [])],
  };
};
