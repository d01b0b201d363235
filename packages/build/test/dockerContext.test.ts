// writeDockerContext: the effectful half of `emit dockerfile`. It writes each layer's tree (or
// tar) and the Dockerfile into --context, with the tree's modes and the planned mtimes, never
// outside the folder, never over a folder it did not write, and atomically: a failed run leaves
// the previous context whole. Requests are made by hand here (build does not depend on emit).
import * as E from "fp-ts/lib/Either.js";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { lower } from "@ocistage/lower";
import type { Owner, Program, StepOf } from "@ocistage/program";
import { decodeSpec } from "@ocistage/spec";
import { buildImage } from "../src/buildImage.ts";
import type { DockerContextError, DockerContextLayerRequest, DockerContextRequest, DockerContextResult } from "../src/dockerContext/index.ts";
import { CONTEXT_MARKER, formatDockerContextError, writeDockerContext } from "../src/dockerContext/index.ts";
import { programOf } from "@ocistage/test-support";

let work = "";
beforeEach(async () => {
  work = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "ocistage-context-")));
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

const at = (...parts: readonly string[]): string => path.join(work, ...parts);

// A spec lowered as the CLI does, and its AssembleRootfs steps.
const programOfLayers = (spec: Record<string, unknown>): Program => programOf({ name: "t", ...spec });
const assembleSteps = (spec: Record<string, unknown>): readonly StepOf<"AssembleRootfs">[] =>
  programOfLayers(spec).steps.filter((s): s is StepOf<"AssembleRootfs"> => s._tag === "AssembleRootfs");

type CopyTreeRequest = Extract<DockerContextLayerRequest, { _tag: "CopyTree" }>;
type AddTarRequest = Extract<DockerContextLayerRequest, { _tag: "AddTar" }>;
const copyTree = (assemble: StepOf<"AssembleRootfs">, mtime: number, owner: Owner = { uid: 0, gid: 0 }): CopyTreeRequest => ({
  _tag: "CopyTree",
  layer: assemble.layer,
  folder: assemble.layer,
  owner,
  assemble,
  mtime,
});
const addTar = (assemble: StepOf<"AssembleRootfs">, mtime: number): AddTarRequest => ({ _tag: "AddTar", layer: assemble.layer, file: `${assemble.layer}.tar`, assemble, mtime });
const request = (layers: readonly DockerContextLayerRequest[], dockerfile = "FROM scratch\n"): DockerContextRequest => ({ dockerfile, layers });

const write = async (req: DockerContextRequest, context = at("ctx")): Promise<E.Either<DockerContextError, DockerContextResult>> =>
  writeDockerContext(req, { sourceRoot: at("src"), context })();

const mode = async (p: string): Promise<string> => `0${((await fs.lstat(p)).mode & 0o7777).toString(8)}`;
const mtime = async (p: string): Promise<number> => Math.round((await fs.lstat(p)).mtimeMs / 1000);
const sha256 = async (p: string): Promise<string> => createHash("sha256").update(await fs.readFile(p)).digest("hex");

// A source tree with modes a build normalises, a symlink and a hard link.
const makeSources = async (): Promise<void> => {
  await fs.mkdir(at("src", "tree", "sub"), { recursive: true });
  await fs.writeFile(at("src", "tree", "a.txt"), "alpha\n");
  await fs.chmod(at("src", "tree", "a.txt"), 0o640);
  await fs.writeFile(at("src", "tree", "run"), "#!/bin/sh\n");
  await fs.chmod(at("src", "tree", "run"), 0o700);
  await fs.chmod(at("src", "tree", "sub"), 0o700);
  await fs.symlink("a.txt", at("src", "tree", "link"));
  await fs.link(at("src", "tree", "a.txt"), at("src", "tree", "hard.txt"));
};

const layers = (): readonly StepOf<"AssembleRootfs">[] =>
  assembleSteps({
    layers: [
      {
        name: "base",
        files: [
          { source: "tree", destination: "/opt/tree", modes: "normalise" },
          { content: "secret\n", destination: "/etc/secret", mode: "0600" },
          { directory: "/tmp", mode: "1777" },
          { directory: "/ro", mode: "0555" },
          { content: "inside a read-only folder\n", destination: "/ro/file" },
          { symlink: "/opt/tree/run", destination: "/bin/run" },
        ],
      },
      { name: "app", uid: 1000, gid: 1000, files: [{ content: "x\n", destination: "/srv/app/x", mode: "4755" }] },
    ],
  });

const ok = <A>(result: E.Either<DockerContextError, A>): A => {
  if (E.isLeft(result)) throw new Error(formatDockerContextError(result.left).join("\n"));
  return result.right;
};

describe("a CopyTree layer is its tree, with the tree's modes and the planned mtime", () => {
  beforeEach(makeSources);

  test("files, folders, symlinks and hard links are where the layer puts them, with its modes", async () => {
    const [base] = layers();
    const result = ok(await write(request([copyTree(base as StepOf<"AssembleRootfs">, 7)], "FROM scratch\nCOPY base/ /\n")));
    expect(result.layers).toEqual([{ layer: "base", path: at("ctx", "base"), nodes: 15 }]);
    const layer = (...p: readonly string[]): string => at("ctx", "base", ...p);
    expect(await fs.readFile(at("ctx", "Dockerfile"), "utf8")).toBe("FROM scratch\nCOPY base/ /\n");
    expect(await mode(layer("opt", "tree", "a.txt"))).toBe("0644"); // 0640 normalised
    expect(await mode(layer("opt", "tree", "run"))).toBe("0755"); // 0700 normalised
    expect(await mode(layer("opt", "tree", "sub"))).toBe("0755");
    expect(await mode(layer("etc", "secret"))).toBe("0600");
    expect(await mode(layer("tmp"))).toBe("01777");
    expect(await mode(layer("ro"))).toBe("0555");
    expect(await fs.readFile(layer("ro", "file"), "utf8")).toBe("inside a read-only folder\n");
    expect(await fs.readlink(layer("bin", "run"))).toBe("/opt/tree/run");
    expect(await fs.readlink(layer("opt", "tree", "link"))).toBe("a.txt");
    expect((await fs.stat(layer("opt", "tree", "hard.txt"))).ino).toBe((await fs.stat(layer("opt", "tree", "a.txt"))).ino);
    expect(await sha256(layer("opt", "tree", "a.txt"))).toBe(await sha256(at("src", "tree", "a.txt")));
  });

  test("every file, folder and link has the planned mtime, the layer's folder included", async () => {
    const [base] = layers();
    ok(await write(request([copyTree(base as StepOf<"AssembleRootfs">, 1_700_000_003)])));
    const walk = async (dir: string): Promise<readonly string[]> =>
      [dir, ...(await Promise.all((await fs.readdir(dir, { withFileTypes: true })).map((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)])))).flat()];
    const all = await walk(at("ctx", "base"));
    expect(all.length).toBe(15);
    expect(new Set(await Promise.all(all.map(mtime)))).toEqual(new Set([1_700_000_003]));
  });

  test("a tree whose owners differ from the COPY's --chown is refused, naming the path", async () => {
    const [, app] = layers();
    const result = await write(request([copyTree(app as StepOf<"AssembleRootfs">, 0, { uid: 1000, gid: 1000 })]));
    expect(E.isLeft(result) && formatDockerContextError(result.left)).toEqual([
      "assemble-rootfs-app: /srv is owned by 0:0, but the Dockerfile's COPY gives the layer 1000:1000; the copied folder holds folders the spec's entries did not show",
    ]);
    await expect(fs.lstat(at("ctx"))).rejects.toThrow();
  });
});

describe("an AddTar layer is its tar", () => {
  test("with every owner and mode, setuid included, and the planned mtime: at the epoch, the very layer blob ocistage builds", async () => {
    const spec = { layers: [{ name: "app", uid: 1000, gid: 1000, files: [{ content: "x\n", destination: "/srv/app/x", mode: "4755" }] }] };
    const [app] = assembleSteps(spec);
    ok(await write(request([addTar(app as StepOf<"AssembleRootfs">, 0)])));
    const built = await buildImage(programOfLayers(spec), { sourceRoot: at("src"), out: at("out"), cacheDir: at("cache") })();
    if (E.isLeft(built)) throw new Error(JSON.stringify(built.left));
    const layerDigest = built.right.descriptors.find((d) => d.role === "layer app")?.digest ?? "";
    expect(`sha256:${await sha256(at("ctx", "app.tar"))}`).toBe(layerDigest);
  });
});

describe("the context folder", () => {
  beforeEach(makeSources);
  const base = (): StepOf<"AssembleRootfs"> => layers()[0] as StepOf<"AssembleRootfs">;

  test("may be new, or an empty folder; it gets the marker file", async () => {
    ok(await write(request([copyTree(base(), 0)]), at("new", "ctx")));
    await fs.mkdir(at("empty"));
    ok(await write(request([copyTree(base(), 0)]), at("empty")));
    expect((await fs.lstat(at("empty", CONTEXT_MARKER))).isFile()).toBe(true);
    expect((await fs.lstat(at("new", "ctx", CONTEXT_MARKER))).isFile()).toBe(true);
  });

  test("an earlier context is replaced whole: nothing of it is left", async () => {
    ok(await write(request([copyTree(base(), 0)], "FROM scratch\n# first\n")));
    await fs.writeFile(at("ctx", "stale"), "from the first run");
    ok(await write(request([], "FROM scratch\n# second\n")));
    expect((await fs.readdir(at("ctx"))).sort()).toEqual([CONTEXT_MARKER, "Dockerfile"]);
    expect(await fs.readFile(at("ctx", "Dockerfile"), "utf8")).toBe("FROM scratch\n# second\n");
  });

  test("a folder holding anything else, a file or a symlink is refused and left alone", async () => {
    await fs.mkdir(at("mine"));
    await fs.writeFile(at("mine", "notes.txt"), "keep me");
    await fs.writeFile(at("file"), "x");
    await fs.symlink(at("mine"), at("link"));
    for (const [place, found] of [
      ["mine", "a folder that holds other files"],
      ["file", "a file"],
      ["link", "a symlink"],
    ] as const) {
      const result = await write(request([copyTree(base(), 0)]), at(place));
      expect(E.isLeft(result) && result.left).toEqual({ _tag: "ContextNotOurs", path: at(place), found });
    }
    expect(await fs.readdir(at("mine"))).toEqual(["notes.txt"]);
  });

  test("a context inside a folder a layer copies, or around one, is refused", async () => {
    const inside = await write(request([copyTree(base(), 0)]), at("src", "tree", "ctx"));
    expect(E.isLeft(inside) && formatDockerContextError(inside.left)).toEqual([
      `--context: ${at("src", "tree", "ctx")} lies inside ${at("src", "tree")}, which assemble-rootfs-base copies into the image; writing there would change the layer's own input`,
    ]);
    const around = await write(request([copyTree(base(), 0)]), at("src"));
    expect(E.isLeft(around) && around.left._tag === "ContextOverlapsSource" && around.left.inside).toBe("source");
    // Through a symlink too: the check compares real places.
    await fs.symlink(at("src", "tree"), at("alias"));
    const aliased = await write(request([copyTree(base(), 0)]), at("alias", "ctx"));
    expect(E.isLeft(aliased) && aliased.left._tag).toBe("ContextOverlapsSource");
    await expect(fs.lstat(at("src", "tree", "ctx"))).rejects.toThrow();
  });

  test("a failed run leaves the previous context whole and no temporary folder behind", async () => {
    ok(await write(request([copyTree(base(), 0)], "FROM scratch\n# good\n")));
    await fs.rm(at("src", "tree"), { recursive: true });
    const result = await write(request([copyTree(base(), 0)], "FROM scratch\n# broken\n"));
    expect(E.isLeft(result) && result.left._tag).toBe("Build");
    expect(await fs.readFile(at("ctx", "Dockerfile"), "utf8")).toBe("FROM scratch\n# good\n");
    expect((await fs.readdir(work)).filter((n) => n.includes("ocistage-tmp"))).toEqual([]);
  });

  test("two layers may not share a name, and no name may leave the folder", async () => {
    const clash = await write(request([copyTree(base(), 0), { ...addTar(base(), 1), file: "base" }]));
    expect(E.isLeft(clash) && clash.left).toEqual({ _tag: "ContextNameClash", name: "base", layers: ["base", "base"] });
    const escape = await write(request([{ ...copyTree(base(), 0), folder: "../escape" }]));
    expect(E.isLeft(escape) && escape.left._tag).toBe("ContextNameClash");
  });

  test("a tree path that would leave the layer's folder is refused before anything is written there", async () => {
    const evil: StepOf<"AssembleRootfs"> = { ...base(), entries: [{ _tag: "Content", at: "layers[0].files[0].content", content: "x", destination: "../escape", mode: 0o644, owner: { uid: 0, gid: 0 } }] };
    const result = await write(request([copyTree(evil, 0)]));
    expect(E.isLeft(result) && formatDockerContextError(result.left)[0]).toMatch(/^assemble-rootfs-base \/\.\.(\/escape)?: is not a plain relative path; refusing to write it$/);
    await expect(fs.lstat(at("escape"))).rejects.toThrow();
    await expect(fs.lstat(at("ctx"))).rejects.toThrow();
  });
});
