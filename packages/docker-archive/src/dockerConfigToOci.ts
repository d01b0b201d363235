import { CONTAINER_CONFIG_FIELDS, IMAGE_CONFIG_FIELDS } from "@ocistage/oci";
import type { ContainerConfig, ImageConfig } from "@ocistage/oci";

/**
 * A Docker image config (application/vnd.docker.container.image.v1+json) as an OCI image
 * config: the fields the OCI config defines (config.md) are kept as they are, Docker's own keys
 * (`container`, `container_config`, `docker_version`, `config.Hostname`, `config.Healthcheck`,
 * `config.OnBuild`, …) are left out, and so are fields whose value is null (null and absent mean
 * the same in both formats). The OCI config was written as this subset of Docker's, so the
 * image's meaning is unchanged; it is also what skopeo writes for `docker-archive:` → `oci:`.
 */
export const dockerConfigToOci = (config: ImageConfig): ImageConfig => {
  const kept = pick(config, IMAGE_CONFIG_FIELDS) as Record<string, unknown>;
  if (config.config !== undefined) kept["config"] = pick(config.config, CONTAINER_CONFIG_FIELDS) as ContainerConfig;
  if (config.history !== undefined) kept["history"] = config.history.map((h) => pick(h, ["created", "author", "created_by", "comment", "empty_layer"]));
  kept["rootfs"] = { type: "layers", diff_ids: config.rootfs.diff_ids };
  return kept as ImageConfig;
};

const pick = <A extends object>(value: A, fields: readonly string[]): Partial<A> => {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const v = (value as Record<string, unknown>)[field];
    if (v !== undefined && v !== null) out[field] = v;
  }
  return out as Partial<A>;
};
