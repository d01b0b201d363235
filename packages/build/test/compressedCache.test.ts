// The build cache and compressed layers: a layer's key includes its compression, so an
// uncompressed and a gzip build of one tree are two records and two blobs with one diff_id; a
// compressed layer is reused unread like any other, and --verify-inputs checks it by the digest of
// its tar (the recorded diff_id) without compressing it again. The bytes never depend on the
// number of compressing threads.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { BuildDependencies, BuildOptions, BuildResult } from "../src/buildImage.ts";
import { buildImage, defaultBuildDependencies } from "../src/buildImage.ts";
import { readTreeFiles } from "./support/layoutFiles.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";
import { programOf } from "@ocistage/test-support";

let work = "";
beforeEach(async () => {
  work = await makeTempDir("zcache");
  await fs.mkdir(path.join(work, "data"));
  // 3 MiB that compress, so the layer is several blocks.
  await fs.writeFile(path.join(work, "data/log.txt"), Array.from({ length: 90_000 }, (_, i) => `${i} ${(i * 7919) % 10007} entry\n`).join("").slice(0, 3 * 1024 * 1024));
  await fs.writeFile(path.join(work, "data/notes.txt"), "version 1\n");
  await new Promise((resolve) => setTimeout(resolve, 120)); // out of the racy-clean window (racyClean.ts)
});
afterEach(() => removeTempDir(work));

const spec = (compression?: string): unknown => ({
  name: "zcache",
  ...(compression === undefined ? {} : { compression }),
  layers: [
    { name: "data", files: [{ source: "data", destination: "/srv/data" }] },
    { name: "etc", files: [{ content: "hello\n", destination: "/etc/motd" }] },
  ],
});

// Counts the layer tars written and the tars only hashed (--verify-inputs).
const counting = (): { readonly tarred: string[]; readonly digested: string[]; readonly dependencies: BuildDependencies } => {
  const tarred: string[] = [];
  const digested: string[] = [];
  const real = defaultBuildDependencies.layerTars;
  return {
    tarred,
    digested,
    dependencies: {
      ...defaultBuildDependencies,
      layerTars: {
        write: (layout, nodes, mtime, at, storage) => (tarred.push(at), real.write(layout, nodes, mtime, at, storage)),
        digest: (nodes, mtime, at) => (digested.push(at), real.digest(nodes, mtime, at)),
      },
    },
  };
};

const build = async (compression: string | undefined, options: Partial<BuildOptions> = {}, dependencies: BuildDependencies = defaultBuildDependencies): Promise<BuildResult> => {
  const result = await buildImage(programOf(spec(compression)), { sourceRoot: work, out: path.join(work, "out"), cacheDir: path.join(work, "cache"), ...options }, dependencies)();
  if (E.isLeft(result)) throw new Error(`the build failed: ${JSON.stringify(result.left)}`);
  return result.right;
};
const layers = (result: BuildResult): Record<string, string> => Object.fromEntries(result.layers.map((l) => [l.layer, `${l.source} ${l.digest === l.diffId ? "same" : "differs"}`]));
const diffIds = (result: BuildResult): Record<string, string> => Object.fromEntries(result.layers.map((l) => [l.layer, l.diffId]));

describe("compressed layers in the build cache", () => {
  test("an uncompressed and a gzip build of one tree are two records and two blobs with one diff_id", async () => {
    // Each into a folder of its own: a folder keeps only the blobs its index.json reaches.
    const plainOut = { out: path.join(work, "plain") };
    const gzipOut = { out: path.join(work, "gzip") };
    const plain = await build(undefined, plainOut);
    expect(layers(plain)).toEqual({ data: "built same", etc: "built same" });
    const gzip = await build("gzip", gzipOut);
    expect(layers(gzip)).toEqual({ data: "built differs", etc: "built differs" });
    expect(diffIds(gzip)).toEqual(diffIds(plain));
    const { tarred, dependencies } = counting();
    expect(layers(await build("gzip", gzipOut, dependencies))).toEqual({ data: "reused differs", etc: "reused differs" });
    expect(layers(await build(undefined, plainOut, dependencies))).toEqual({ data: "reused same", etc: "reused same" });
    expect(tarred).toEqual([]);
  });

  test("--verify-inputs checks a compressed layer by its tar's digest, without compressing it again", async () => {
    const first = await build("zstd");
    const { tarred, digested, dependencies } = counting();
    const verified = await build("zstd", { cache: "verify" }, dependencies);
    expect(layers(verified)).toEqual({ data: "verified differs", etc: "verified differs" });
    expect(digested.sort()).toEqual(["tar-layer-data", "tar-layer-etc"]);
    expect(tarred).toEqual([]);
    expect(verified.manifest).toEqual(first.manifest);

    await fs.writeFile(path.join(work, "data/notes.txt"), "version 2\n");
    const changed = await build("zstd", { cache: "verify" });
    expect(layers(changed).data).toBe("built differs");
    expect(changed.manifest.digest).not.toBe(first.manifest.digest);
  });

  test("gives the same bytes with one compressing thread or three, cached or not", async () => {
    const one = await build("gzip", { out: path.join(work, "one"), cache: "off", compressionThreads: 1 });
    const three = await build("gzip", { out: path.join(work, "three"), cache: "off", compressionThreads: 3 });
    expect(one.manifest).toEqual(three.manifest);
    expect(await readTreeFiles(one.out)).toEqual(await readTreeFiles(three.out));
    const data = one.layers.find((l) => l.layer === "data");
    expect(data?.size).toBeLessThan(1024 * 1024); // 3 MiB of text in several blocks, compressed
  });
});
