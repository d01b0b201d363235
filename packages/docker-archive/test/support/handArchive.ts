import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { HandEntry } from "../../../bundle/test/support/handLayout.ts";
import { tarBytes } from "../../../bundle/test/support/handLayout.ts";

export const sha256 = (bytes: Uint8Array): string => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** A layer tar of one file, and its diff_id. */
export const layerTar = async (name: string, content: string): Promise<{ readonly tar: Buffer; readonly diffId: string }> => {
  const tar = await tarBytes([{ name, content }]);
  return { tar, diffId: sha256(tar) };
};

/** A Docker image config with the given diff_ids, Docker's own keys included. */
export const dockerConfig = (diffIds: readonly string[]): Buffer =>
  Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      created: "2024-05-06T07:08:09.123456789Z",
      docker_version: "24.0.7",
      container: "0123456789ab",
      container_config: { Hostname: "0123456789ab", Cmd: ["/bin/sh", "-c", "#(nop) ADD file"] },
      config: { Hostname: "", Env: ["PATH=/bin"], Cmd: ["/bin/sh"], Entrypoint: null, Volumes: null, OnBuild: null, Healthcheck: { Test: ["CMD", "true"] }, Labels: { a: "b" } },
      rootfs: { type: "layers", diff_ids: diffIds },
      history: [{ created: "2024-05-06T07:08:09Z", created_by: "ADD file" }],
    }),
  );

export interface ArchiveParts {
  readonly layers: readonly { readonly name: string; readonly bytes: Buffer }[];
  readonly config: { readonly name: string; readonly bytes: Buffer };
  readonly manifest?: unknown; // default: one image of the config and layers, tagged hand:1.0; null: none
  readonly extra?: readonly HandEntry[];
}

/** A docker-archive's tar from its parts, as given (a hostile or broken one too). */
export const dockerArchive = async (parts: ArchiveParts): Promise<Buffer> => {
  const manifest = parts.manifest !== undefined ? parts.manifest : [{ Config: parts.config.name, RepoTags: ["hand:1.0"], Layers: parts.layers.map((l) => l.name) }];
  const entries: HandEntry[] = [
    ...parts.layers.map((l) => ({ name: l.name, bytes: l.bytes })),
    { name: parts.config.name, bytes: parts.config.bytes },
    ...(manifest === null ? [] : [{ name: "manifest.json", content: JSON.stringify(manifest) }]),
    ...(parts.extra ?? []),
  ];
  return tarBytes(entries);
};

export const gzip = (bytes: Uint8Array): Buffer => gzipSync(bytes);
