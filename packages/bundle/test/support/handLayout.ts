import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import * as tarStream from "tar-stream";
import { MediaType, canonicalJson, canonicalJsonBytes, descriptor, imageConfig, imageIndex, imageManifest, indexEntry, layoutFile } from "@ocistage/oci";
import type { ContainerConfig, Digest } from "@ocistage/oci";

// A tar entry written by hand, exactly as given (names with "..", whiteouts, devices): what a
// layer made by another tool, or a hostile one, can hold. Defaults: a root-owned file 0644 at 0.
export interface HandEntry {
  readonly name: string;
  readonly type?: "file" | "directory" | "symlink" | "link" | "character-device" | "fifo";
  readonly content?: string;
  readonly bytes?: Uint8Array; // binary content, in place of `content`
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly linkname?: string;
  readonly mtime?: number; // seconds
  readonly devmajor?: number;
  readonly devminor?: number;
}

export const tarBytes = async (entries: readonly HandEntry[]): Promise<Buffer> => {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on("end", () => resolve());
    pack.on("error", reject);
  });
  for (const e of entries) {
    const type = e.type ?? "file";
    const header: Partial<tarStream.Header> & { name: string } = {
      name: e.name,
      type,
      mode: e.mode ?? (type === "directory" ? 0o755 : type === "symlink" ? 0o777 : 0o644),
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      mtime: new Date((e.mtime ?? 0) * 1000),
      ...(e.linkname === undefined ? {} : { linkname: e.linkname }),
      ...(e.devmajor === undefined ? {} : { devmajor: e.devmajor, devminor: e.devminor ?? 0 }),
    };
    if (type === "file") pack.entry(header, e.bytes === undefined ? Buffer.from(e.content ?? "") : Buffer.from(e.bytes));
    else pack.entry(header, "");
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
};

const sha256 = (bytes: Uint8Array): Digest => `sha256:${createHash("sha256").update(bytes).digest("hex")}` as Digest;

const putBlob = async (dir: string, bytes: Uint8Array): Promise<Digest> => {
  const digest = sha256(bytes);
  await fs.writeFile(path.join(dir, "blobs", "sha256", digest.slice(7)), bytes);
  return digest;
};

/** How a layer is stored: its tar as it is, or compressed (the media type says which). */
export interface LayerEncoding {
  readonly mediaType: string;
  readonly encode: (tar: Buffer) => Buffer;
}

export const PLAIN: LayerEncoding = { mediaType: MediaType.layerTar, encode: (tar) => tar };

/**
 * An OCI layout in `dir` with one image of the given layers (base first, stored as `encoding`
 * says) and container config, tagged `ref`. Returns the layers' diff_ids.
 */
export const writeHandLayout = async (
  dir: string,
  layers: readonly (readonly HandEntry[])[],
  config: ContainerConfig = { Entrypoint: ["/bin/sh"] },
  ref = "latest",
  encoding: LayerEncoding = PLAIN,
): Promise<readonly Digest[]> => {
  await fs.mkdir(path.join(dir, "blobs", "sha256"), { recursive: true });
  await fs.writeFile(path.join(dir, "oci-layout"), canonicalJson(layoutFile()));
  const plain = await Promise.all(layers.map(tarBytes));
  const diffIds = plain.map(sha256);
  const tars = plain.map(encoding.encode);
  const digests = await Promise.all(tars.map((t) => putBlob(dir, t)));
  const configBytes = canonicalJsonBytes(imageConfig({ architecture: "amd64", os: "linux", diffIds, config }));
  const configDigest = await putBlob(dir, configBytes);
  const manifest = canonicalJsonBytes(
    imageManifest({
      config: descriptor({ mediaType: MediaType.imageConfig, digest: configDigest, size: configBytes.byteLength }),
      layers: tars.map((t, i) => descriptor({ mediaType: encoding.mediaType, digest: digests[i] as Digest, size: t.byteLength })),
    }),
  );
  const manifestDigest = await putBlob(dir, manifest);
  await fs.writeFile(path.join(dir, "index.json"), canonicalJsonBytes(imageIndex({ manifests: [indexEntry({ target: descriptor({ mediaType: MediaType.imageManifest, digest: manifestDigest, size: manifest.byteLength }), tag: ref })] })));
  return diffIds;
};

// Every path under `root` with its kind ("d", "f", "l"), sorted: what a test compares of two trees.
export const treeListing = async (root: string): Promise<readonly string[]> => {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await fs.readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const stat = await fs.lstat(full);
      const kind = stat.isDirectory() ? "d" : stat.isSymbolicLink() ? "l" : stat.isFile() ? "f" : "o";
      out.push(`${kind} ${rel}${name}`);
      if (stat.isDirectory()) await walk(full, `${rel}${name}/`);
    }
  };
  await walk(root, "");
  return out;
};

/** Layers stored gzip-compressed (node's zlib). */
export const GZIP: LayerEncoding = { mediaType: MediaType.layerTarGzip, encode: (tar) => gzipSync(tar) };

/** Layers stored zstd-compressed, by the zstd command (Debian's zstd). */
export const ZSTD: LayerEncoding = {
  mediaType: MediaType.layerTarZstd,
  encode: (tar) => {
    const result = spawnSync("zstd", ["-q", "-c"], { input: tar });
    if (result.status !== 0) throw new Error(`zstd failed: ${result.stderr.toString()}`);
    return result.stdout;
  },
};
