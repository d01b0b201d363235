import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";

// Every entry under `dir` (followed if it is a symlink, as `--out` is) by relative path: a file
// as "sha256:<hex> <size>" (equal hashes: equal bytes, and far quicker to compare than bytes),
// folders and symlinks with a marker so a stray one shows too.
export const readTreeFiles = async (dir: string): Promise<ReadonlyMap<string, string>> => {
  const root = await fs.realpath(dir);
  const found = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    for (const entry of (await fs.readdir(path.join(root, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        found.set(child, "folder");
        await walk(child);
      } else if (entry.isSymbolicLink()) found.set(child, "symlink");
      else {
        const bytes = await fs.readFile(path.join(root, child));
        found.set(child, `sha256:${createHash("sha256").update(bytes).digest("hex")} ${bytes.length}`);
      }
    }
  };
  await walk("");
  return found;
};

// A layout's JSON documents, read directly (not through our own reader), from index.json down
// to the first manifest and its config.
export interface ImageDocuments {
  readonly index: { readonly manifests: readonly { readonly digest: string; readonly size: number; readonly mediaType: string; readonly annotations?: Record<string, string> }[] } & Record<string, unknown>;
  readonly manifest: {
    readonly config: { readonly digest: string; readonly size: number; readonly mediaType: string };
    readonly layers: readonly { readonly digest: string; readonly size: number; readonly mediaType: string }[];
  } & Record<string, unknown>;
  readonly config: { readonly created?: string; readonly config?: Record<string, unknown>; readonly rootfs: { readonly diff_ids: readonly string[] } } & Record<string, unknown>;
  readonly manifestBytes: Buffer;
}

export const blobPath = (layout: string, digest: string): string => path.join(layout, "blobs", ...digest.split(":"));

export const readImageDocuments = async (layout: string): Promise<ImageDocuments> => {
  const index = JSON.parse(await fs.readFile(path.join(layout, "index.json"), "utf8")) as ImageDocuments["index"];
  const first = index.manifests[0];
  if (first === undefined) throw new Error(`${layout}/index.json lists no manifest`);
  const manifestBytes = await fs.readFile(blobPath(layout, first.digest));
  const manifest = JSON.parse(manifestBytes.toString("utf8")) as ImageDocuments["manifest"];
  const config = JSON.parse(await fs.readFile(blobPath(layout, manifest.config.digest), "utf8")) as ImageDocuments["config"];
  return { index, manifest, config, manifestBytes };
};
