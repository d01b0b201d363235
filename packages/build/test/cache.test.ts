// The build cache (records in the user's cache folder, shared by every output folder): a layer
// whose inputs are unchanged is taken from the output folder, or from the folder it was last
// built into, without reading its data; any change of content, metadata or spec builds it again; --verify-inputs
// re-reads everything; --no-cache ignores the cache. Cached or not, the image is the same bytes.
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { BuildDependencies, BuildOptions, BuildResult } from "../src/buildImage.ts";
import { buildImage, defaultBuildDependencies } from "../src/buildImage.ts";
import type { BuildError } from "../src/BuildError.ts";
import { safeToRecord } from "../src/cache/racyClean.ts";
import { readTreeFiles } from "./support/layoutFiles.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";
import { programOf } from "@ocistage/test-support";

let work: string | undefined;
const dir = (): string => {
  if (work === undefined) throw new Error("no temp dir");
  return work;
};

beforeEach(async () => {
  work = await makeTempDir("cache");
});
afterEach(async () => {
  await removeTempDir(work);
  work = undefined;
});

const SPEC = {
  name: "cached",
  layers: [
    { name: "app", files: [{ source: "app", destination: "/opt/app" }] },
    { name: "data", files: [{ source: "data", destination: "/srv/data" }, { content: "hello\n", destination: "/etc/motd" }] },
  ],
};


// Two source trees; `data` holds a 256 KiB file so its layer is far bigger than any JSON blob.
const makeSources = async (): Promise<void> => {
  await fs.mkdir(path.join(dir(), "app/bin"), { recursive: true });
  await fs.writeFile(path.join(dir(), "app/bin/run"), "#!/bin/sh\necho run\n", { mode: 0o755 });
  await fs.writeFile(path.join(dir(), "app/README"), "the app\n");
  await fs.link(path.join(dir(), "app/README"), path.join(dir(), "app/README.hard"));
  await fs.symlink("bin/run", path.join(dir(), "app/start"));
  await fs.mkdir(path.join(dir(), "data"), { recursive: true });
  await fs.writeFile(path.join(dir(), "data/blob.bin"), Buffer.alloc(256 * 1024, 7));
  await fs.writeFile(path.join(dir(), "data/notes.txt"), "version 1\n");
  await waitOutRacyWindow();
};

// Files changed within the file system clock's tick before the build are not recorded yet
// (racyClean.ts); tests that expect a record wait that long after writing sources.
const waitOutRacyWindow = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 120));

// Every call that reads or writes layer data, counted.
interface Counts {
  tarred: string[]; // the step of each layer tar written
  digested: string[]; // the step of each layer tar hashed without writing (--verify-inputs)
  archives: number;
  hashedFiles: string[]; // blobs verify-blobs read and hashed itself (not on the archive's read)
}

const counting = (): { readonly counts: Counts; readonly dependencies: BuildDependencies } => {
  const counts: Counts = { tarred: [], digested: [], archives: 0, hashedFiles: [] };
  const real = defaultBuildDependencies;
  return {
    counts,
    dependencies: {
      layerTars: {
        write: (layout, nodes, mtime, at, storage) => {
          counts.tarred.push(at);
          return real.layerTars.write(layout, nodes, mtime, at, storage);
        },
        digest: (nodes, mtime, at) => {
          counts.digested.push(at);
          return real.layerTars.digest(nodes, mtime, at);
        },
      },
      writeArchive: (input) => {
        counts.archives++;
        return real.writeArchive(input);
      },
      hashBlob: (file) => {
        counts.hashedFiles.push(path.basename(file));
        return real.hashBlob(file);
      },
    },
  };
};

const cacheDir = (): string => path.join(dir(), "cache");

const build = async (options: Partial<BuildOptions> = {}, dependencies: BuildDependencies = defaultBuildDependencies, spec: unknown = SPEC): Promise<BuildResult> => {
  const result = await buildImage(programOf(spec), { sourceRoot: dir(), out: path.join(dir(), "out"), cacheDir: cacheDir(), ...options }, dependencies)();
  if (E.isLeft(result)) throw new Error(`the build failed: ${JSON.stringify(result.left)}`);
  return result.right;
};

const sources = (result: BuildResult): Readonly<Record<string, string>> => Object.fromEntries(result.layers.map((l) => [l.layer, l.source]));
const digests = (result: BuildResult): Readonly<Record<string, string>> => Object.fromEntries(result.layers.map((l) => [l.layer, l.digest]));

// A second, cache-free build of the same sources into its own folder: the truth to compare with.
const referenceBuild = (): Promise<BuildResult> => build({ out: path.join(dir(), "reference"), cache: "off" });

describe("a no-op rebuild", () => {
  test("reuses every layer and the archive: no tar is written or hashed, no layer blob is re-read", async () => {
    await makeSources();
    const first = await build();
    expect(sources(first)).toEqual({ app: "built", data: "built" });

    const { counts, dependencies } = counting();
    const second = await build({}, dependencies);

    expect(counts.tarred).toEqual([]);
    expect(counts.digested).toEqual([]);
    expect(counts.archives).toBe(0);
    // verify-blobs hashes only what this build wrote: the config and the manifest.
    const config = second.descriptors.find((d) => d.role === "config");
    expect(counts.hashedFiles.sort()).toEqual([config?.digest, second.manifest.digest].map((d) => (d ?? "").replace("sha256:", "")).sort());
    expect(sources(second)).toEqual({ app: "reused", data: "reused" });
    expect(second.archive).toBe("reused");
    expect(second.manifest).toEqual(first.manifest);
  });

  test("gives the same bytes as a build without the cache", async () => {
    await makeSources();
    await build();
    await build();
    const reference = await referenceBuild();
    expect(await readTreeFiles(path.join(dir(), "out"))).toEqual(await readTreeFiles(reference.out));
  });

  test("into another output folder takes the layers from the first one, unread, through the shared cache", async () => {
    await makeSources();
    const first = await build();
    const { counts, dependencies } = counting();
    const elsewhere = await build({ out: path.join(dir(), "elsewhere") }, dependencies);
    expect(counts.tarred).toEqual([]);
    expect(sources(elsewhere)).toEqual({ app: "reused", data: "reused" });
    expect(elsewhere.manifest).toEqual(first.manifest);
    expect(await readTreeFiles(elsewhere.out)).toEqual(await readTreeFiles(first.out));
    expect((await fs.readdir(path.join(cacheDir(), "layers"))).sort()).toHaveLength(2);
  });
});

describe("a change of an input", () => {
  test("with a new mtime builds that layer again, and only that one", async () => {
    await makeSources();
    const first = await build();
    await fs.writeFile(path.join(dir(), "data/notes.txt"), "version 2\n");

    const { counts, dependencies } = counting();
    const second = await build({}, dependencies);

    expect(counts.tarred).toEqual(["tar-layer-data"]);
    expect(sources(second)).toEqual({ app: "reused", data: "built" });
    expect(second.archive).toBe("built");
    expect(digests(second)["data"]).not.toBe(digests(first)["data"]);
    expect(digests(second)["app"]).toBe(digests(first)["app"]);
    const reference = await referenceBuild();
    expect(digests(second)).toEqual(digests(reference));
    expect(await readTreeFiles(second.out)).toEqual(await readTreeFiles(reference.out));
  });

  test.each([
    ["a new file", async (): Promise<void> => fs.writeFile(path.join(dir(), "app/NEW"), "new\n")],
    ["a removed file", async (): Promise<void> => fs.rm(path.join(dir(), "app/README.hard"))],
    ["a mode change", async (): Promise<void> => fs.chmod(path.join(dir(), "app/README"), 0o700)],
    ["a symlink's new target", async (): Promise<void> => fs.rm(path.join(dir(), "app/start")).then(() => fs.symlink("bin/other", path.join(dir(), "app/start")))],
  ])("%s builds its layer again", async (_, change) => {
    await makeSources();
    const first = await build();
    await change();
    const second = await build();
    expect(sources(second)).toEqual({ app: "built", data: "reused" });
    expect(digests(second)["app"]).not.toBe(digests(first)["app"]);
    expect(digests(second)).toEqual(digests(await referenceBuild()));
  });

  test("of the spec (an entry's mode, SOURCE_DATE_EPOCH) builds the layers it touches", async () => {
    await makeSources();
    await build();
    const moded = { ...SPEC, layers: [{ name: "app", files: [{ source: "app", destination: "/opt/app", mode: "0700" }] }, SPEC.layers[1]] };
    expect(sources(await build({}, defaultBuildDependencies, moded))).toEqual({ app: "built", data: "reused" });
    const later = await buildImage(programOf(moded, { sourceDateEpoch: 1_700_000_000 }), { sourceRoot: dir(), out: path.join(dir(), "out"), cacheDir: cacheDir() })();
    expect(E.isRight(later) && sources(later.right)).toEqual({ app: "built", data: "built" });
  });

  test.each([
    ["modes: normalise", { modes: "normalise" }],
    ['owners: "keep"', { owners: "keep" }],
    ["an exclude pattern", { exclude: ["*.hard"] }],
    ["an exclude pattern that matches nothing", { exclude: ["nothing-here"] }],
  ])("of a copy's rules (%s) builds its layer again", async (_, rules) => {
    await makeSources();
    const first = await build();
    const changed = { ...SPEC, layers: [{ name: "app", files: [{ source: "app", destination: "/opt/app", ...rules }] }, SPEC.layers[1]] };
    const second = await build({}, defaultBuildDependencies, changed);
    expect(sources(second)).toEqual({ app: "built", data: "reused" });
    // The same tree either way (the sources are 0644/0755, root's): only the key had to change.
    if ("exclude" in rules && rules.exclude[0] === "nothing-here") expect(digests(second)).toEqual(digests(first));
  });
});

describe("--verify-inputs", () => {
  // Same size, new bytes, and the mtime put back with `touch -d`: only the ctime tells.
  const sneakyEdit = async (file: string): Promise<void> => {
    const before = await fs.stat(file);
    const bytes = await fs.readFile(file);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    await fs.writeFile(file, bytes);
    execFileSync("touch", ["-d", `@${(before.mtimeMs / 1000).toFixed(9)}`, file]);
    const after = await fs.stat(file);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
  };

  test("catches bytes changed with the same size and the same mtime", async () => {
    await makeSources();
    const first = await build();
    await sneakyEdit(path.join(dir(), "data/blob.bin"));

    const { counts, dependencies } = counting();
    const verified = await build({ cache: "verify" }, dependencies);

    const reference = await referenceBuild();
    expect(digests(verified)["data"]).not.toBe(digests(first)["data"]);
    expect(digests(verified)).toEqual(digests(reference));
    expect(await readTreeFiles(verified.out)).toEqual(await readTreeFiles(reference.out));
    // The app layer was re-read and matched its record; the data layer was tarred again.
    expect(counts.digested).toContain("tar-layer-app");
    expect(counts.tarred).toEqual(["tar-layer-data"]);
    expect(sources(verified)["app"]).toBe("verified");
  });

  test("is needed only when the ctime cannot tell: by default the same edit is caught by its new ctime", async () => {
    await makeSources();
    const first = await build();
    await sneakyEdit(path.join(dir(), "data/blob.bin"));
    const second = await build();
    expect(sources(second)).toEqual({ app: "reused", data: "built" });
    expect(digests(second)["data"]).not.toBe(digests(first)["data"]);
  });

  test("rebuilds a layer whose record no longer tells the truth, where the default trusts it", async () => {
    await makeSources();
    const first = await build();
    // A record naming the wrong blob, as if the data had changed without its metadata changing.
    const cache = path.join(cacheDir(), "layers");
    const dataDigest = digests(first)["data"] ?? "";
    const appDigest = digests(first)["app"] ?? "";
    const appSize = first.layers.find((l) => l.layer === "app")?.size ?? 0;
    for (const name of await fs.readdir(cache)) {
      const file = path.join(cache, name);
      const text = await fs.readFile(file, "utf8");
      if (text.includes(dataDigest)) await fs.writeFile(file, JSON.stringify({ _tag: "Layer", digest: appDigest, size: appSize, diffId: appDigest, layout: first.out }));
    }

    const trusting = await build();
    expect(digests(trusting)["data"]).toBe(appDigest);

    const verified = await build({ cache: "verify" });
    expect(sources(verified)).toEqual({ app: "verified", data: "rebuilt" });
    expect(digests(verified)["data"]).toBe(dataDigest);
  });

  test("re-reads unchanged layers but writes nothing again", async () => {
    await makeSources();
    const first = await build();
    const { counts, dependencies } = counting();
    const verified = await build({ cache: "verify" }, dependencies);
    expect(counts.digested.sort()).toEqual(["tar-layer-app", "tar-layer-data"]);
    expect(counts.tarred).toEqual([]);
    expect(sources(verified)).toEqual({ app: "verified", data: "verified" });
    expect(verified.manifest).toEqual(first.manifest);
  });
});

describe("--no-cache", () => {
  test("tars every layer and the archive again and leaves the records as they were", async () => {
    await makeSources();
    const first = await build();
    const cache = cacheDir();
    const before = await readTreeFiles(cache);

    const { counts, dependencies } = counting();
    const again = await build({ cache: "off" }, dependencies);

    expect(counts.tarred.sort()).toEqual(["tar-layer-app", "tar-layer-data"]);
    expect(counts.archives).toBe(1);
    expect(sources(again)).toEqual({ app: "built", data: "built" });
    expect(again.archive).toBe("built");
    expect(again.manifest).toEqual(first.manifest);
    expect(await readTreeFiles(cache)).toEqual(before);
  });
});

describe("the cache's safety nets", () => {
  test("a blob the previous build lost is built again", async () => {
    await makeSources();
    const first = await build();
    const data = first.layers.find((l) => l.layer === "data");
    await fs.rm(path.join(first.out, "blobs/sha256", (data?.digest ?? "").replace("sha256:", "")));
    const second = await build();
    expect(sources(second)).toEqual({ app: "reused", data: "built" });
    expect(second.manifest).toEqual(first.manifest);
  });

  test("a rewritten image.oci.tar of the previous build is not reused", async () => {
    await makeSources();
    const first = await build();
    const archive = path.join(first.out, "image.oci.tar");
    const bytes = await fs.readFile(archive);
    await fs.rm(archive);
    await fs.writeFile(archive, bytes);
    const { counts, dependencies } = counting();
    const second = await build({}, dependencies);
    expect(second.archive).toBe("built");
    expect(counts.archives).toBe(1);
  });

  test("verify-blobs fails the build when a blob written now does not hash to its name", async () => {
    await makeSources();
    const first = await build();
    // An archive step that read other bytes than each blob's name says.
    const lying: BuildDependencies = {
      ...defaultBuildDependencies,
      writeArchive: (input) =>
        TE.map((archived: ReadonlyMap<string, string>) => new Map([...archived.keys()].map((name) => [name, "0".repeat(64)])))(defaultBuildDependencies.writeArchive(input)),
    };
    const before = await readTreeFiles(first.out);
    await fs.writeFile(path.join(dir(), "data/notes.txt"), "version 2\n");
    const failed = await buildImage(programOf(SPEC), { sourceRoot: dir(), out: path.join(dir(), "out"), cacheDir: cacheDir() }, lying)();
    expect(E.isLeft(failed) && (failed.left as BuildError)._tag).toBe("VerifyFailed");
    // The failed build leaves the previous layout exactly: index.json, every blob, the archive.
    expect(await readTreeFiles(first.out)).toEqual(before);
  });

  test("a layer tarred again into the same bytes is verified by reading it, as the archive is reused", async () => {
    await makeSources();
    const first = await build();
    // Same bytes, new ctime: the key changes, the tar does not, and neither does the archive.
    await fs.chmod(path.join(dir(), "data/notes.txt"), 0o644);
    await waitOutRacyWindow();
    const { counts, dependencies } = counting();
    const second = await build({}, dependencies);
    const data = digests(second)["data"] ?? "";
    expect(sources(second)).toEqual({ app: "reused", data: "built" });
    expect(data).toBe(digests(first)["data"]);
    expect(second.archive).toBe("reused");
    expect(counts.hashedFiles).toContain(data.replace("sha256:", ""));
  });

  test("files changed within the clock's tick before their lstat are not recorded (racily clean)", () => {
    const second = 1_000_000_000n;
    const now = 1_700_000_000n * second;
    expect(safeToRecord({ newestCtimeNs: now - 10_000_000n, wholeSeconds: false }, now)).toBe(false);
    expect(safeToRecord({ newestCtimeNs: now - 100_000_000n, wholeSeconds: false }, now)).toBe(true);
    // On a file system with whole-second timestamps, a change within 2 s could go unseen.
    expect(safeToRecord({ newestCtimeNs: now - second, wholeSeconds: true }, now)).toBe(false);
    expect(safeToRecord({ newestCtimeNs: now - 3n * second, wholeSeconds: true }, now)).toBe(true);
    // A layer without files on disk has nothing to race with.
    expect(safeToRecord({ newestCtimeNs: 0n, wholeSeconds: true }, now)).toBe(true);
  });
});
