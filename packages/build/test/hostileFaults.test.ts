// Faults between reading a tree and tarring it: the build's two halves are called one after the
// other (assembleTree, then writeLayerTar) with the source changed in between, as another process
// could change it. Each change is an error naming the file as the spec reached it; no blob and no
// temporary file is left; a file swapped for a FIFO does not hang the build. Then the whole
// build, with a file that grows while it is being read.
import { execFileSync } from "node:child_process";
import { appendFileSync, promises as fs } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lower } from "@ocistage/lower";
import type { Program, StepOf } from "@ocistage/program";
import { decodeSpec } from "@ocistage/spec";
import type { BuildError } from "../src/BuildError.ts";
import { formatBuildError } from "../src/BuildError.ts";
import { assembleTree, orderedNodes } from "../src/assembleTree.ts";
import { buildImage } from "../src/buildImage.ts";
import { writeLayerTar } from "../src/writeTreeTar.ts";
import { UNCOMPRESSED } from "../src/compress/LayerStorage.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";
import { programOf } from "@ocistage/test-support";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("faults");
});
afterAll(() => removeTempDir(work));


const assembleStep = (program: Program): StepOf<"AssembleRootfs"> => {
  const step = program.steps.find((s): s is StepOf<"AssembleRootfs"> => s._tag === "AssembleRootfs");
  if (step === undefined) throw new Error("no assemble step");
  return step;
};

let cases = 0;

// A source tree with `files`, assembled; then `change` runs; then the layer is tarred. Returns
// the build error's lines and what the layout folder holds afterwards.
const tarAfter = async (files: Readonly<Record<string, string | number>>, change: (rootfs: string) => Promise<void> | void): Promise<{ readonly lines: readonly string[]; readonly layout: readonly string[] }> => {
  const src = path.join(work, `case-${cases++}`);
  const rootfs = path.join(src, "rootfs");
  await fs.mkdir(rootfs, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === "number") await fs.writeFile(path.join(rootfs, name), Buffer.alloc(content, 0x61));
    else await fs.writeFile(path.join(rootfs, name), content);
  }
  const program = programOf({ name: "faults", layers: [{ name: "app", source: "rootfs" }] });
  const tree = await assembleTree(assembleStep(program), src)();
  if (E.isLeft(tree)) throw new Error(formatBuildError(tree.left).join("\n"));
  await change(rootfs);
  const layout = path.join(src, "layout");
  await fs.mkdir(layout);
  const blob = await writeLayerTar(layout, orderedNodes(tree.right), 0, "tar-layer-app", UNCOMPRESSED)();
  const left: readonly string[] = E.isLeft(blob) ? formatBuildError(blob.left) : ["(the tar was written)"];
  const leftovers = async (dir: string, rel = ""): Promise<string[]> =>
    (await fs.readdir(dir, { withFileTypes: true })).flatMap((e) => [`${rel}${e.name}${e.isDirectory() ? "/" : ""}`]).concat(
      ...(await Promise.all((await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => leftovers(path.join(dir, e.name), `${rel}${e.name}/`)))),
    );
  return { lines: left, layout: (await leftovers(layout)).sort() };
};

const SMALL = "hello";
const LARGE = 3 * 1024 * 1024; // read in chunks by the tar writer, not whole

describe("a source file that changes between the walk and the tar", () => {
  it.each([
    ["small", SMALL, 5],
    ["large", LARGE, LARGE],
  ])("is an error naming it when it is removed (%s file)", async (_label, content, _size) => {
    expect(await tarAfter({ gone: content }, (rootfs) => fs.rm(path.join(rootfs, "gone")))).toEqual({
      lines: ["tar-layer-app: source rootfs/gone (copied by layers[0].source) cannot be read (cannot open: ENOENT: no such file or directory)"],
      layout: ["blobs/", "blobs/sha256/"],
    });
  });

  it.each([
    ["small", SMALL, 5],
    ["large", LARGE, LARGE],
  ])("is an error naming it when it grows (%s file)", async (_label, content, size) => {
    expect(await tarAfter({ grows: content }, (rootfs) => fs.appendFile(path.join(rootfs, "grows"), "more!"))).toEqual({
      lines: [`tar-layer-app: rootfs/grows (copied by layers[0].source) changed while it was being read (its size went from ${size} to ${size + 5} bytes)`],
      layout: ["blobs/", "blobs/sha256/"],
    });
  });

  it.each([
    ["small", SMALL, 5],
    ["large", LARGE, LARGE],
  ])("is an error naming it when it shrinks (%s file)", async (_label, content, size) => {
    expect(await tarAfter({ shrinks: content }, (rootfs) => fs.truncate(path.join(rootfs, "shrinks"), 2))).toEqual({
      lines: [`tar-layer-app: rootfs/shrinks (copied by layers[0].source) changed while it was being read (it ended after 2 of ${size} bytes)`],
      layout: ["blobs/", "blobs/sha256/"],
    });
  });

  it.each([
    ["small", SMALL],
    ["large", LARGE],
  ])("is an error naming it when it is rewritten in place with the same size (%s file)", async (_label, content) => {
    const rewrite = async (rootfs: string): Promise<void> => {
      const file = path.join(rootfs, "edited");
      const handle = await fs.open(file, "r+");
      await handle.write("Z", 0);
      await handle.close();
    };
    expect(await tarAfter({ edited: content }, rewrite)).toEqual({
      lines: ["tar-layer-app: rootfs/edited (copied by layers[0].source) changed while it was being read (it was modified)"],
      layout: ["blobs/", "blobs/sha256/"],
    });
  });

  it.each([
    ["small", SMALL],
    ["large", LARGE],
  ])("is an error naming it when another file of the same size is renamed over it (%s file)", async (_label, content) => {
    const swap = async (rootfs: string): Promise<void> => {
      await fs.writeFile(path.join(rootfs, "..", "impostor"), typeof content === "number" ? Buffer.alloc(content, 0x61) : content);
      await fs.rename(path.join(rootfs, "..", "impostor"), path.join(rootfs, "swapped"));
    };
    expect(await tarAfter({ swapped: content }, swap)).toEqual({
      lines: ["tar-layer-app: rootfs/swapped (copied by layers[0].source) changed while it was being read (it was replaced by another file)"],
      layout: ["blobs/", "blobs/sha256/"],
    });
  });

  // Opening a FIFO for reading blocks until a writer comes, unless O_NONBLOCK: without it the
  // build would hang here for good. (A large file goes through the tar writer, whose positional
  // read fails on a FIFO; a small one is checked to be the same file before it is read.)
  it.each([
    ["small", SMALL, "rootfs/piped (copied by layers[0].source) changed while it was being read (it was replaced by another file)"],
    ["large", LARGE, "source rootfs/piped (copied by layers[0].source) cannot be read (cannot read: ESPIPE: invalid seek, read)"],
  ])("is an error, not a hang, when it is replaced by a FIFO with no writer (%s file)", async (_label, content, message) => {
    const fifo = async (rootfs: string): Promise<void> => {
      await fs.rm(path.join(rootfs, "piped"));
      execFileSync("mkfifo", [path.join(rootfs, "piped")]);
    };
    expect(await tarAfter({ piped: content }, fifo)).toEqual({ lines: [`tar-layer-app: ${message}`], layout: ["blobs/", "blobs/sha256/"] });
  }, 20_000);

  it("is an error when a file is replaced by a symlink to another file (never followed)", async () => {
    const relink = async (rootfs: string): Promise<void> => {
      await fs.writeFile(path.join(rootfs, "..", "elsewhere"), SMALL);
      await fs.rm(path.join(rootfs, "linked"));
      await fs.symlink(path.join(rootfs, "..", "elsewhere"), path.join(rootfs, "linked"));
    };
    expect(await tarAfter({ linked: SMALL }, relink)).toEqual({
      lines: ["tar-layer-app: source rootfs/linked (copied by layers[0].source) cannot be read (cannot open: ELOOP: too many symbolic links encountered)"],
      layout: ["blobs/", "blobs/sha256/"],
    });
  });

  it("is no error when nothing changed (the same pieces write the layer)", async () => {
    const result = await tarAfter({ a: SMALL, b: LARGE }, () => undefined);
    expect(result.lines).toEqual(["(the tar was written)"]);
    expect(result.layout).toEqual(["blobs/", "blobs/sha256/", expect.stringMatching(/^blobs\/sha256\/[0-9a-f]{64}$/)]);
  });
});

describe("a whole build whose source file grows while it is being read", () => {
  it("fails naming the file, leaves no output, and DIR keeps the previous image", async () => {
    const src = path.join(work, "growing");
    const big = path.join(src, "rootfs", "big");
    await fs.mkdir(path.dirname(big), { recursive: true });
    await fs.writeFile(big, Buffer.alloc(64 * 1024 * 1024, 0x62));
    const out = path.join(src, "out");
    const program = programOf({ name: "growing", layers: [{ name: "app", source: "rootfs" }] });
    const first = await buildImage(programOf({ name: "growing", layers: [{ name: "app", files: [{ content: "v1", destination: "/v" }] }] }), { sourceRoot: src, out })();
    expect(E.isRight(first)).toBe(true);
    const previous = await fs.readdir(out, { recursive: true });
    const index = await fs.readFile(path.join(out, "index.json"), "utf8");

    // Appends a few bytes every millisecond, from before the build starts until it ends.
    let appends = 0;
    const grower = setInterval(() => {
      appendFileSync(big, "+");
      appends++;
    }, 1);
    const result = await buildImage(program, { sourceRoot: src, out })().finally(() => clearInterval(grower));

    expect(appends).toBeGreaterThan(0);
    const lines = E.isLeft(result) ? formatBuildError(result.left) : [];
    expect(lines).toEqual([expect.stringMatching(/^tar-layer-app: rootfs\/big \(copied by layers\[0\]\.source\) changed while it was being read \((its size went from \d+ to \d+ bytes|it was modified)\)$/)]);
    expect(E.isLeft(result) && (result.left as BuildError)._tag).toBe("SourceChanged");
    // The previous image, exactly: its index.json and blobs, no blob or temporary of the failed build.
    expect(await fs.readFile(path.join(out, "index.json"), "utf8")).toBe(index);
    expect((await fs.readdir(out, { recursive: true })).sort()).toEqual([...previous].sort());
  }, 60_000);
});
