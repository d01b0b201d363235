// Reproducibility: the image is a function of the spec and the inputs' content, names, kinds and
// permission bits; with `modes: "normalise"` (a tree checked out from version control), of the
// owner permission bits only. Two copies of one source tree, made in different orders with
// different umasks and times, built by separate CLI processes under different time zones,
// locales, working folders and output paths, give byte-identical layouts.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "./support/buildExample.ts";
import { buildExample, buildSpec } from "./support/buildExample.ts";
import { blobPath, readImageDocuments, readTreeFiles } from "./support/layoutFiles.ts";
import type { ImageDocuments } from "./support/layoutFiles.ts";
import { cliEnv } from "./support/runCli.ts";
import { listTar } from "./support/tarListing.ts";
import type { TarListingEntry } from "./support/tarListing.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

// The source tree, in one creation order; a hard link names the file it shares an inode with.
type SourceNode =
  | { readonly kind: "dir"; readonly path: string }
  | { readonly kind: "file" | "exec"; readonly path: string; readonly content: string }
  | { readonly kind: "hardlink"; readonly path: string; readonly target: string }
  | { readonly kind: "symlink"; readonly path: string; readonly target: string };

const SOURCE: readonly SourceNode[] = [
  { kind: "dir", path: "bin" },
  { kind: "exec", path: "bin/tool", content: "#!/bin/sh\necho tool\n" },
  { kind: "dir", path: "data" },
  { kind: "file", path: "data/one.txt", content: "one\n" },
  { kind: "hardlink", path: "data/zz-hard.txt", target: "data/one.txt" },
  { kind: "dir", path: "data/a" },
  { kind: "file", path: "data/a/b.txt", content: "a/b\n" },
  { kind: "file", path: "data/a-b.txt", content: "a-b\n" },
  { kind: "file", path: "data/B.txt", content: "B\n" },
  { kind: "file", path: "data/café.txt", content: "café\n" },
  { kind: "file", path: "data/_under.txt", content: "_\n" },
  { kind: "dir", path: "etc" },
  { kind: "dir", path: "etc/app" },
  { kind: "file", path: "etc/app/config.json", content: '{"debug":false}\n' },
  { kind: "dir", path: "etc/app/empty" },
  { kind: "dir", path: "links" },
  { kind: "symlink", path: "links/relative", target: "../data/one.txt" },
  { kind: "symlink", path: "links/absolute", target: "/etc/app/config.json" },
  { kind: "symlink", path: "links/dangling", target: "../nowhere" },
  { kind: "symlink", path: "links/folder", target: "../etc" },
];

const SPEC = `${JSON.stringify({ name: "repro", layers: [{ name: "source", source: "tree", modes: "normalise" }], entrypoint: ["/bin/tool"] }, null, 2)}\n`;

interface CopyStyle {
  readonly reverse: boolean; // create the nodes in reverse order (children before their parents' chmod, the link before its file)
  readonly umask: number;
  readonly times: (i: number) => { readonly atime: number; readonly mtime: number };
}

// Writes the spec and its `tree` folder into `dir`, in the style's order, permissions and times.
const makeSourceCopy = async (dir: string, style: CopyStyle): Promise<void> => {
  const tree = path.join(dir, "tree");
  await fs.mkdir(tree, { recursive: true });
  await fs.writeFile(path.join(dir, "image.json"), SPEC);
  const at = (p: string): string => path.join(tree, p);
  const created = new Map<string, string>(); // hard-link group (the file's path) → first path made
  const nodes = style.reverse ? [...SOURCE].reverse() : SOURCE;
  const contentOf = (file: string): string => {
    const node = SOURCE.find((n) => n.path === file);
    return node !== undefined && (node.kind === "file" || node.kind === "exec") ? node.content : "";
  };
  for (const node of nodes) {
    await fs.mkdir(path.dirname(at(node.path)), { recursive: true });
    switch (node.kind) {
      case "dir":
        await fs.mkdir(at(node.path), { recursive: true });
        break;
      case "file":
      case "exec":
      case "hardlink": {
        const group = node.kind === "hardlink" ? node.target : node.path;
        const first = created.get(group);
        if (first !== undefined) await fs.link(at(first), at(node.path));
        else {
          await fs.writeFile(at(node.path), contentOf(group));
          created.set(group, node.path);
        }
        break;
      }
      case "symlink":
        await fs.symlink(node.target, at(node.path));
        break;
    }
  }
  const mask = 0o777 & ~style.umask;
  for (const [i, node] of nodes.entries()) {
    const isExec = node.kind === "exec" || (node.kind === "hardlink" && SOURCE.some((n) => n.path === node.target && n.kind === "exec"));
    if (node.kind !== "symlink") await fs.chmod(at(node.path), node.kind === "dir" || isExec ? mask : mask & 0o666);
    const { atime, mtime } = style.times(i);
    await fs.lutimes(at(node.path), atime, mtime);
  }
  await fs.chmod(tree, mask);
  await fs.utimes(tree, style.times(99).atime, style.times(99).mtime);
};

let work: string | undefined;
const outs = { a: "", b: "", epoch: "", example1: "", example2: "" };
let a: BuildJson;
let b: BuildJson;
let epoch: BuildJson;
let example1: BuildJson;
let example2: BuildJson;

beforeAll(async () => {
  work = await makeTempDir("repro");
  const w = work;
  const copyA = path.join(w, "a", "src");
  const copyB = path.join(w, "b", "copy", "of", "src");
  await makeSourceCopy(copyA, { reverse: false, umask: 0o022, times: (i) => ({ atime: 1_000_000_000 + i, mtime: 1_100_000_000 + 7 * i }) });
  await makeSourceCopy(copyB, { reverse: true, umask: 0o077, times: (i) => ({ atime: Date.now() / 1000, mtime: 1_600_000_000 - 13 * i }) });
  const elsewhere = path.join(w, "b", "elsewhere");
  await fs.mkdir(elsewhere);
  outs.a = path.join(w, "a", "out", "repro");
  outs.b = path.join(w, "b", "deep", "er", "second");
  outs.epoch = path.join(w, "a", "out", "epoch");
  outs.example1 = path.join(w, "example1");
  outs.example2 = path.join(w, "x", "example2");
  // Relative spec and --out from one working folder, absolute ones from another.
  [a, b, epoch, example1, example2] = await Promise.all([
    buildSpec("src", "out/repro", { cwd: path.join(w, "a"), env: cliEnv({ TZ: "UTC", LC_ALL: "C", LANG: "C" }), umask: "022" }),
    buildSpec(copyB, outs.b, { cwd: elsewhere, env: cliEnv({ TZ: "Pacific/Auckland", LC_ALL: "sv_SE.UTF-8", LANG: "sv_SE.UTF-8" }), umask: "077" }),
    buildSpec(copyA, outs.epoch, { env: cliEnv({ SOURCE_DATE_EPOCH: "1700000000" }) }),
    buildExample(outs.example1),
    buildExample(outs.example2, { cwd: w, env: cliEnv({ TZ: "Asia/Kolkata", LC_ALL: "C" }), umask: "077" }),
  ]);
});
afterAll(() => removeTempDir(work));

const layerListing = async (out: string): Promise<readonly TarListingEntry[]> => {
  const docs = await readImageDocuments(out);
  const layer = docs.manifest.layers[0];
  if (layer === undefined) throw new Error(`${out}: the manifest has no layer`);
  return listTar(blobPath(out, layer.digest));
};

describe("two copies of a source tree, built apart", () => {
  test("give the same manifest digest", () => {
    expect(b.manifest.digest).toBe(a.manifest.digest);
    expect(b.descriptors).toEqual(a.descriptors);
  });

  test("give byte-identical layouts: every blob, index.json, oci-layout and image.oci.tar", async () => {
    const filesA = await readTreeFiles(outs.a);
    const blob = "blobs/sha256/<hex>";
    expect([...filesA.keys()].map((k) => k.replace(/^blobs\/sha256\/[0-9a-f]{64}$/, blob))).toEqual(["blobs", "blobs/sha256", blob, blob, blob, "image.oci.tar", "index.json", "oci-layout"]);
    expect(await readTreeFiles(outs.b)).toEqual(filesA);
  });

  test("hold the tree in GNU tar --sort=name order, normalised modes, root-owned, mtime 0, one hard link", async () => {
    const entries = await layerListing(outs.a);
    expect(entries.map((e) => [e.name, e.type, e.mode, e.linkname ?? e.size])).toEqual([
      ["./", "directory", "0755", 0],
      ["./bin/", "directory", "0755", 0],
      ["./bin/tool", "file", "0755", 20],
      ["./data/", "directory", "0755", 0],
      ["./data/B.txt", "file", "0644", 2],
      ["./data/_under.txt", "file", "0644", 2],
      ["./data/a/", "directory", "0755", 0],
      ["./data/a/b.txt", "file", "0644", 4],
      ["./data/a-b.txt", "file", "0644", 4],
      ["./data/café.txt", "file", "0644", 6],
      ["./data/one.txt", "file", "0644", 4],
      ["./data/zz-hard.txt", "link", "0644", "./data/one.txt"],
      ["./etc/", "directory", "0755", 0],
      ["./etc/app/", "directory", "0755", 0],
      ["./etc/app/config.json", "file", "0644", 16],
      ["./etc/app/empty/", "directory", "0755", 0],
      ["./links/", "directory", "0755", 0],
      ["./links/absolute", "symlink", "0777", "/etc/app/config.json"],
      ["./links/dangling", "symlink", "0777", "../nowhere"],
      ["./links/folder", "symlink", "0777", "../etc"],
      ["./links/relative", "symlink", "0777", "../data/one.txt"],
    ]);
    expect(new Set(entries.map((e) => `${e.uid}:${e.gid} ${e.mtime}`))).toEqual(new Set(["0:0 0"]));
  });
});

describe("SOURCE_DATE_EPOCH=1700000000", () => {
  let docs: ImageDocuments;
  beforeAll(async () => {
    docs = await readImageDocuments(outs.epoch);
  });

  test("changes the digest (the default epoch is 0)", async () => {
    expect(epoch.manifest.digest).not.toBe(a.manifest.digest);
    expect((await readImageDocuments(outs.a)).config.created).toBe("1970-01-01T00:00:00Z");
  });

  test("is the config's created time", () => {
    expect(docs.config.created).toBe("2023-11-14T22:13:20Z");
  });

  test("is every mtime in the layer and in image.oci.tar, and nothing else in the layer changes", async () => {
    const layer = await layerListing(outs.epoch);
    const archive = await listTar(path.join(outs.epoch, "image.oci.tar"));
    expect(new Set([...layer, ...archive].map((e) => e.mtime))).toEqual(new Set([1_700_000_000]));
    const withoutTime = (entries: readonly TarListingEntry[]): readonly unknown[] => entries.map(({ mtime: _, ...rest }) => rest);
    expect(withoutTime(layer)).toEqual(withoutTime(await layerListing(outs.a)));
  });
});

test("the example built twice, apart, gives the same digest and the same bytes", async () => {
  expect(example2.manifest.digest).toBe(example1.manifest.digest);
  expect(await readTreeFiles(outs.example2)).toEqual(await readTreeFiles(outs.example1));
});
