// Layers are tarred several at a time; the image must not depend on how many or in which order
// they finish, and a failure must be reported the same way whatever finished first.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { lower } from "@ocistage/lower";
import type { Program } from "@ocistage/program";
import { decodeSpec } from "@ocistage/spec";
import type { BuildDependencies, BuildResult } from "../src/buildImage.ts";
import { buildImage, defaultBuildDependencies } from "../src/buildImage.ts";
import { readTreeFiles } from "./support/layoutFiles.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";
import { programOf } from "@ocistage/test-support";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("parallel");
  // Six layers of very different sizes, so they finish out of order when run together.
  for (let l = 0; l < 6; l++) {
    const root = path.join(work, `src${l}`);
    await fs.mkdir(path.join(root, "sub"), { recursive: true });
    for (let f = 0; f < 5 + l * 7; f++) await fs.writeFile(path.join(root, f % 2 === 0 ? "sub" : "", `f${f}`), Buffer.alloc(((5 - l) * 97_003 + f * 511) % 400_000, l + f));
  }
});
afterAll(() => removeTempDir(work));

const SPEC = {
  name: "parallel",
  layers: Array.from({ length: 6 }, (_, l) => ({ name: `l${l}`, files: [{ source: `src${l}`, destination: `/layer${l}` }, { content: `layer ${l}\n`, destination: `/etc/l${l}` }] })),
};


const build = async (out: string, parallelism: number, dependencies: BuildDependencies = defaultBuildDependencies): Promise<BuildResult> => {
  const result = await buildImage(programOf(SPEC), { sourceRoot: work, out: path.join(work, out), parallelism, cache: "off" }, dependencies)();
  if (E.isLeft(result)) throw new Error(`the build failed: ${JSON.stringify(result.left)}`);
  return result.right;
};

// Tars through the real writer, keeping count of how many run at once; the first layers are
// held back a little so that later ones finish first.
const watching = (): { readonly dependencies: BuildDependencies; readonly peak: () => number; readonly finished: string[] } => {
  let running = 0;
  let peak = 0;
  const finished: string[] = [];
  const write: BuildDependencies["layerTars"]["write"] = (layout, nodes, mtime, at, storage) => async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, at.endsWith("l0") || at.endsWith("l1") ? 150 : 10));
    const result = await defaultBuildDependencies.layerTars.write(layout, nodes, mtime, at, storage)();
    running--;
    finished.push(at);
    return result;
  };
  return { dependencies: { ...defaultBuildDependencies, layerTars: { ...defaultBuildDependencies.layerTars, write } }, peak: () => peak, finished };
};

describe("layers built in parallel", () => {
  test("give the same digests and bytes as layers built one at a time", async () => {
    const sequential = await build("one-at-a-time", 1);
    const parallel = watching();
    const concurrent = await build("four-at-a-time", 4, parallel.dependencies);

    expect(parallel.peak()).toBe(4);
    expect(parallel.finished[0]).not.toBe("tar-layer-l0"); // they did finish out of order
    expect(concurrent.manifest).toEqual(sequential.manifest);
    expect(concurrent.layers).toEqual(sequential.layers);
    expect(concurrent.descriptors).toEqual(sequential.descriptors);
    expect(await readTreeFiles(concurrent.out)).toEqual(await readTreeFiles(sequential.out));
  });

  test("run at most `parallelism` tars at once", async () => {
    const two = watching();
    await build("two-at-a-time", 2, two.dependencies);
    expect(two.peak()).toBe(2);
    const one = watching();
    await build("one-more-time", 1, one.dependencies);
    expect(one.peak()).toBe(1);
    expect(one.finished).toEqual(SPEC.layers.map((l) => `tar-layer-${l.name}`));
  });

  test("fail with the first failing layer in program order, whichever failed first, and leave nothing behind", async () => {
    // Layer l4 fails at once, layer l1 only after a while: l1's failure is the one reported.
    const failing: BuildDependencies["layerTars"]["write"] = (layout, nodes, mtime, at, storage) => async () => {
      if (at === "tar-layer-l1") await new Promise((resolve) => setTimeout(resolve, 150));
      if (at === "tar-layer-l1" || at === "tar-layer-l4") return E.left({ _tag: "Io", at, path: "", reason: "the disk is full" });
      return defaultBuildDependencies.layerTars.write(layout, nodes, mtime, at, storage)();
    };
    const out = path.join(work, "broken");
    const dependencies = { ...defaultBuildDependencies, layerTars: { ...defaultBuildDependencies.layerTars, write: failing } };
    const failed = await buildImage(programOf(SPEC), { sourceRoot: work, out, parallelism: 6, cache: "off" }, dependencies)();
    expect(E.isLeft(failed) && failed.left).toEqual({ _tag: "Io", at: "tar-layer-l1", path: "", reason: "the disk is full" });
    expect((await fs.readdir(work)).filter((n) => n.includes("broken"))).toEqual([]);
  });

  test("skip the layers not started yet once one has failed", async () => {
    const started: string[] = [];
    const failing: BuildDependencies["layerTars"]["write"] = (layout, nodes, mtime, at, storage) => async () => {
      started.push(at);
      if (at === "tar-layer-l0") return E.left({ _tag: "Io", at, path: "", reason: "the disk is full" });
      return defaultBuildDependencies.layerTars.write(layout, nodes, mtime, at, storage)();
    };
    const dependencies = { ...defaultBuildDependencies, layerTars: { ...defaultBuildDependencies.layerTars, write: failing } };
    const failed = await buildImage(programOf(SPEC), { sourceRoot: work, out: path.join(work, "skipped"), parallelism: 1, cache: "off" }, dependencies)();
    expect(E.isLeft(failed)).toBe(true);
    expect(started).toEqual(["tar-layer-l0"]);
  });
});
