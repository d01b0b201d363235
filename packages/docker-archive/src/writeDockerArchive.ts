import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { createHash } from "node:crypto";
import type { Hash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { ManifestNode } from "@ocistage/layout";
import { blobPath, canonicalJson } from "@ocistage/oci";
import type { Digest } from "@ocistage/oci";
import { bytesContent, describeTarError, diskContent, directoryEntry, fileEntry, fileItem, metadataItem, sortTarItems, symlinkEntry, writeTarFileUnhashed } from "@ocistage/tar";
import type { TarItem } from "@ocistage/tar";
import type { LayerTarFile } from "./archiveLayerFile.ts";
import { layerTarFile } from "./archiveLayerFile.ts";
import type { DockerArchiveError } from "./DockerArchiveError.ts";
import { invalidArchive } from "./DockerArchiveError.ts";
import { dockerManifestBytes, repositoryOfReference, tagOfReference } from "./dockerManifest.ts";
import type { DockerManifestEntry } from "./dockerManifest.ts";
import { legacyLayers } from "./legacyLayers.ts";
import { removeQuietly } from "./storeLayerMember.ts";

/** One image to archive: a manifest of a layout read by `readLayout`, and the names `docker load` gives it. */
export interface ArchiveImage {
  readonly layout: string; // the layout folder the manifest was read from
  readonly manifest: ManifestNode;
  readonly repoTags: readonly string[]; // "busybox-shell:latest"; none: loaded untagged
}

export interface WrittenDockerArchive {
  readonly file: string;
  readonly manifest: readonly DockerManifestEntry[];
}

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const at = (epoch: number, mode: number) => ({ mode, uid: 0, gid: 0, mtime: epoch });
const hexOf = (digest: string): string => digest.replace(/^sha256:/, "");

// A sibling of the target, so the finished archive is put in place by one rename.
const temporaryBeside = (target: string, what: string): string =>
  path.join(path.dirname(target), `.${path.basename(target)}.ocistage-tmp-${process.pid}-${what}-${Math.random().toString(36).slice(2, 10)}`);

interface Plan {
  readonly items: Map<string, TarItem>;
  readonly manifest: DockerManifestEntry[];
  readonly repositories: Record<string, Record<string, string>>;
  readonly checks: Map<string, { readonly hash: Hash; readonly diffId: string; readonly member: string }>; // layer member → its running hash
  readonly temporaries: string[];
}

const addFile = (plan: Plan, name: string, content: Uint8Array, epoch: number): void => {
  plan.items.set(name, fileItem(fileEntry(bytes(name), at(epoch, 0o644), content.byteLength), bytesContent(content)));
};

// One image's members: its config, its layer tars (shared ones once) and its legacy folders.
const planImage = async (plan: Plan, image: ArchiveImage, target: string, epoch: number): Promise<readonly string[]> => {
  const { manifest } = image;
  const where = `${image.layout} manifest ${manifest.descriptor.digest}`;
  if (manifest.config._tag !== "ImageConfigNode") return [`${where}: its config is not an image config (${manifest.config.descriptor.mediaType})`];
  const config = manifest.config.config;
  const configDigest = manifest.config.descriptor.digest;
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) return [`${where}: ${manifest.layers.length} layers, but the config has ${diffIds.length} diff_ids`];
  const configName = `${hexOf(configDigest)}.json`;
  addFile(plan, configName, await fs.readFile(path.join(image.layout, ...blobPath(configDigest).split("/"))), epoch);
  const problems: string[] = [];
  const layerNames: string[] = [];
  for (const [i, layer] of manifest.layers.entries()) {
    const diffId = diffIds[i] as Digest;
    const name = `${hexOf(diffId)}.tar`;
    layerNames.push(name);
    if (plan.items.has(name)) continue;
    const temporary = temporaryBeside(target, "layer");
    plan.temporaries.push(temporary);
    const tar: E.Either<string, LayerTarFile> = await layerTarFile(layer, diffId, temporary);
    if (E.isLeft(tar)) {
      problems.push(`${where}: layer ${layer.descriptor.digest} ${tar.left}`);
      continue;
    }
    const hash = createHash("sha256");
    if (!tar.right.temporary) plan.checks.set(name, { hash, diffId, member: layer.descriptor.digest });
    const onData = tar.right.temporary ? {} : { onData: (chunk: Uint8Array) => void hash.update(chunk) };
    plan.items.set(name, fileItem(fileEntry(bytes(name), at(epoch, 0o644), tar.right.size), { ...diskContent(tar.right.file), ...onData }));
  }
  const legacy = legacyLayers(config, configDigest);
  for (const l of legacy) {
    plan.items.set(l.id, metadataItem(directoryEntry(bytes(l.id), at(epoch, 0o755))));
    addFile(plan, `${l.id}/VERSION`, bytes("1.0"), epoch);
    addFile(plan, `${l.id}/json`, bytes(l.json), epoch);
    plan.items.set(`${l.id}/layer.tar`, metadataItem(symlinkEntry(bytes(`${l.id}/layer.tar`), at(epoch, 0o777), bytes(`../${l.diffHex}.tar`))));
  }
  const top = legacy[legacy.length - 1]?.id;
  for (const reference of image.repoTags) {
    const repository = repositoryOfReference(reference);
    const tag = tagOfReference(reference) ?? "latest";
    if (top !== undefined && plan.repositories[repository]?.[tag] === undefined) plan.repositories[repository] = { ...plan.repositories[repository], [tag]: top };
  }
  plan.manifest.push({ Config: configName, RepoTags: image.repoTags, Layers: layerNames });
  return problems;
};

/**
 * Writes images of OCI layouts as one docker-archive (the `docker save` format `docker load`,
 * `podman load` and `skopeo copy docker-archive:` read): `manifest.json` ([{Config, RepoTags,
 * Layers}]), `repositories`, each config as `<hex>.json`, each layer as its uncompressed tar
 * `<diff_id hex>.tar` (a compressed layer is decompressed; a plain one must hash to its
 * diff_id as it is archived), and the legacy `<id>/{VERSION,json,layer.tar}` folders. The tar
 * is written by the project's GNU-exact writer: sorted, root-owned, files 0644, folders 0755,
 * every mtime `epoch`, so the same images give the same bytes. It is written beside `file` and
 * renamed onto it: `file` is never seen half written, and is left alone on failure.
 */
export const writeDockerArchive =
  (images: readonly ArchiveImage[], file: string, epoch: number): TE.TaskEither<DockerArchiveError, WrittenDockerArchive> =>
  async () => {
    const target = path.resolve(file);
    const plan: Plan = { items: new Map(), manifest: [], repositories: {}, checks: new Map(), temporaries: [] };
    const archive = temporaryBeside(target, "archive");
    plan.temporaries.push(archive);
    try {
      plan.items.set("", metadataItem(directoryEntry(new Uint8Array(0), at(epoch, 0o755))));
      const problems: string[] = [];
      for (const image of images) problems.push(...(await planImage(plan, image, target, epoch)));
      if (problems.length > 0) return E.left(invalidArchive(target, problems));
      addFile(plan, "manifest.json", dockerManifestBytes(plan.manifest), epoch);
      addFile(plan, "repositories", bytes(canonicalJson(plan.repositories)), epoch);
      const written = await writeTarFileUnhashed(sortTarItems([...plan.items.values()]), archive)();
      if (E.isLeft(written)) return E.left({ _tag: "Io", path: target, reason: describeTarError(written.left) });
      const wrong = [...plan.checks].flatMap(([name, c]) => {
        const actual = `sha256:${c.hash.digest("hex")}`;
        return actual === c.diffId ? [] : [`layer ${c.member} (${name}): its tar hashes to ${actual}, but the config's diff_id is ${c.diffId}`];
      });
      if (wrong.length > 0) return E.left(invalidArchive(target, wrong));
      await fs.rename(archive, target);
      return E.right({ file: target, manifest: plan.manifest });
    } catch (e) {
      return E.left({ _tag: "Io", path: target, reason: e instanceof Error ? e.message : String(e) });
    } finally {
      await Promise.all(plan.temporaries.map(removeQuietly));
    }
  };
