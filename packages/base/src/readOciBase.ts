import * as E from "fp-ts/lib/Either.js";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { decodeImageConfig } from "@ocistage/oci";
import type { BaseFile, BaseImage, BaseLayer, BaseSource, Platform } from "@ocistage/program";
import type { BaseError } from "./BaseError.ts";
import { applyLayer, sortedFiles } from "./fileTree.ts";
import { readLayerBlob } from "./readLayerBlob.ts";
import { layerDecompressor } from "@ocistage/layout";
import { readCachedBase, writeCachedBase } from "./baseFileCache.ts";

const REF_NAME = "org.opencontainers.image.ref.name";
const INDEX_TYPES = new Set(["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"]);
const DOCUMENT_LIMIT = 16 * 1024 * 1024;

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
}

type Read<A> = Promise<E.Either<BaseError, A>>;

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null && !Array.isArray(u);

const asDescriptor = (u: unknown): Descriptor | undefined =>
  isRecord(u) && typeof u["digest"] === "string" && /^sha256:[0-9a-f]{64}$/.test(u["digest"]) && typeof u["size"] === "number" && Number.isSafeInteger(u["size"]) && u["size"] >= 0
    ? ({ ...u, mediaType: typeof u["mediaType"] === "string" ? u["mediaType"] : "" } as Descriptor)
    : undefined;

const descriptorsAt = (doc: unknown, key: string): readonly Descriptor[] | undefined => {
  if (!isRecord(doc) || !Array.isArray(doc[key])) return undefined;
  const list = (doc[key] as unknown[]).map(asDescriptor);
  return list.every((d) => d !== undefined) ? (list as Descriptor[]) : undefined;
};

const platformText = (p: { readonly os?: string | undefined; readonly architecture?: string | undefined; readonly variant?: string | undefined }): string =>
  [p.os ?? "?", p.architecture ?? "?", ...(p.variant === undefined ? [] : [p.variant])].join("/");

/** Reads a JSON document blob of the layout, checked against its descriptor's size and digest. */
const readDocument = async (from: string, dir: string, d: Descriptor, what: string): Read<unknown> => {
  const file = path.join(dir, "blobs", "sha256", d.digest.slice("sha256:".length));
  if (d.size > DOCUMENT_LIMIT) return E.left({ _tag: "Invalid", from, reason: `the ${what} ${d.digest} is ${d.size} bytes, more than a JSON document may be` });
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    return E.left({ _tag: "Unreadable", from, file, reason: (e as Error).message });
  }
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  if (bytes.length !== d.size || digest !== d.digest)
    return E.left({ _tag: "Invalid", from, reason: `the ${what} blob ${d.digest} holds other bytes (${bytes.length} bytes, ${digest}): the base is damaged` });
  try {
    return E.right(JSON.parse(bytes.toString("utf8")) as unknown);
  } catch (e) {
    return E.left({ _tag: "Invalid", from, reason: `the ${what} ${d.digest} is not JSON: ${(e as Error).message}` });
  }
};

// The index.json entry the reference names: by its ref.name annotation, or the only one there is.
const pickEntry = (from: string, entries: readonly Descriptor[], ref: string | undefined): E.Either<BaseError, Descriptor> => {
  const names = entries.map((e) => e.annotations?.[REF_NAME]).filter((n): n is string => n !== undefined);
  if (ref !== undefined) {
    const found = entries.find((e) => e.annotations?.[REF_NAME] === ref);
    return found === undefined ? E.left({ _tag: "NoSuchImage", from, reason: `index.json names no image "${ref}" (it names: ${names.join(", ") || "none"})` }) : E.right(found);
  }
  const [only, ...more] = entries;
  if (only === undefined) return E.left({ _tag: "NoSuchImage", from, reason: "index.json names no image" });
  if (more.length > 0) return E.left({ _tag: "NoSuchImage", from, reason: `index.json names ${entries.length} images; say which with ":REF" (${names.join(", ") || "none named"})` });
  return E.right(only);
};

const samePlatform = (want: Platform, got: { readonly os?: string | undefined; readonly architecture?: string | undefined; readonly variant?: string | undefined }): boolean =>
  want.os === got.os && want.architecture === got.architecture && (want.variant === undefined || want.variant === got.variant);

/**
 * Reads a base image from an OCI image layout folder (image-spec image-layout.md), verifying every
 * blob it reads against its digest: index.json → (image index → the manifest of `platform`) →
 * manifest → config → each layer, whose diff_id must match the config's. Returns the base as
 * program data, with the files its layers leave (whiteouts applied).
 */
export const readOciBase = async (args: {
  readonly from: string;
  readonly dir: string; // absolute
  readonly source: BaseSource;
  readonly ref: string | undefined;
  readonly pinned: string | undefined;
  readonly platform: Platform;
  readonly cacheDir: string | undefined; // where file lists of bases read before are kept
}): Read<BaseImage> => {
  const { from, dir, platform } = args;
  const indexFile = path.join(dir, "index.json");
  let indexJson: unknown;
  try {
    indexJson = JSON.parse(await fs.readFile(indexFile, "utf8")) as unknown;
  } catch (e) {
    return E.left({ _tag: "Unreadable", from, file: indexFile, reason: (e as Error).message });
  }
  const entries = descriptorsAt(indexJson, "manifests");
  if (entries === undefined) return E.left({ _tag: "Invalid", from, reason: `${indexFile} has no valid "manifests" list` });
  const entry = pickEntry(from, entries, args.ref);
  if (E.isLeft(entry)) return entry;
  let manifestDescriptor = entry.right;
  const pinOk = (d: string): boolean => args.pinned === undefined || args.pinned === d;
  let pinnedSeen = pinOk(manifestDescriptor.digest);
  if (INDEX_TYPES.has(manifestDescriptor.mediaType)) {
    const index = await readDocument(from, dir, manifestDescriptor, "image index");
    if (E.isLeft(index)) return index;
    const children = descriptorsAt(index.right, "manifests") ?? [];
    const match = children.find((c) => c.platform !== undefined && samePlatform(platform, c.platform));
    if (match === undefined)
      return E.left({ _tag: "NoSuchImage", from, reason: `has no image for ${platformText(platform)} (it has: ${children.map((c) => platformText(c.platform ?? {})).join(", ")})` });
    manifestDescriptor = match;
    pinnedSeen ||= pinOk(match.digest);
  }
  if (!pinnedSeen) return E.left({ _tag: "Invalid", from, reason: `is pinned to ${args.pinned}, but its manifest is ${manifestDescriptor.digest}` });
  const manifest = await readDocument(from, dir, manifestDescriptor, "manifest");
  if (E.isLeft(manifest)) return manifest;
  const configDescriptor = isRecord(manifest.right) ? asDescriptor(manifest.right["config"]) : undefined;
  const layerDescriptors = descriptorsAt(manifest.right, "layers");
  if (configDescriptor === undefined || layerDescriptors === undefined) return E.left({ _tag: "Invalid", from, reason: `the manifest ${manifestDescriptor.digest} has no valid config or layers` });
  const configJson = await readDocument(from, dir, configDescriptor, "config");
  if (E.isLeft(configJson)) return configJson;
  const config = decodeImageConfig(configJson.right);
  if (E.isLeft(config)) return E.left({ _tag: "Invalid", from, reason: `its config ${configDescriptor.digest} is not an image config (${config.left.problems.map((p) => `${p.path || "(root)"}: expected ${p.expected}`).join("; ")})` });
  if (!samePlatform(platform, config.right))
    return E.left({ _tag: "NoSuchImage", from, reason: `is an image for ${platformText(config.right)}, not ${platformText(platform)} (set the image's architecture, os and variant to the base's)` });
  const diffIds = config.right.rootfs.diff_ids;
  if (diffIds.length !== layerDescriptors.length) return E.left({ _tag: "Invalid", from, reason: `its manifest has ${layerDescriptors.length} layers but its config ${diffIds.length} diff_ids` });
  const platformOfBase = { os: config.right.os, architecture: config.right.architecture, ...(config.right.variant === undefined ? {} : { variant: config.right.variant }) };
  const cached = await readCachedBase(args.cacheDir, manifestDescriptor.digest);
  if (cached !== undefined)
    return E.right({ written: from, source: args.source, digest: manifestDescriptor.digest, platform: platformOfBase, config: config.right, layers: cached.layers, files: cached.files });
  const files = new Map<string, BaseFile>();
  const layers: BaseLayer[] = [];
  for (const [i, d] of layerDescriptors.entries()) {
    const decompress = layerDecompressor(d.mediaType);
    if (E.isLeft(decompress)) return E.left({ _tag: "Unsupported", from, reason: `layer ${i} (${d.digest}): ${decompress.left}` });
    const file = path.join(dir, "blobs", "sha256", d.digest.slice("sha256:".length));
    let read;
    try {
      read = await readLayerBlob(file, decompress.right);
    } catch (e) {
      return E.left({ _tag: "Unreadable", from, file, reason: (e as Error).message });
    }
    if (read.digest !== d.digest || read.size !== d.size)
      return E.left({ _tag: "Invalid", from, reason: `layer ${i}'s blob ${d.digest} holds other bytes (${read.size} bytes, ${read.digest}): the base is damaged` });
    if (read.diffId !== diffIds[i]) return E.left({ _tag: "Invalid", from, reason: `layer ${i} (${d.digest}) unpacks to ${read.diffId}, but the config's diff_id is ${diffIds[i]}` });
    applyLayer(files, read.entries);
    layers.push({ digest: d.digest, size: d.size, mediaType: d.mediaType, diffId: read.diffId });
  }
  const sorted = sortedFiles(files);
  await writeCachedBase(args.cacheDir, manifestDescriptor.digest, { layers, files: sorted });
  return E.right({ written: from, source: args.source, digest: manifestDescriptor.digest, platform: platformOfBase, config: config.right, layers, files: sorted });
};
