// Issue 11, case 1, on small inputs, through the CLI and read back with GNU tar: a copied file
// keeps its permission bits by default (never wider than its source), special bits included;
// `modes: "normalise"` is the old rule, asked for by name; `owners: "keep"` keeps numeric owners
// from disk; `exclude` leaves paths out; a device node is refused, naming the exclude option.
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSpec } from "./support/buildExample.ts";
import { layerListing } from "./support/gnuTarListing.ts";
import { runCli } from "./support/runCli.ts";
import { requireRoot, requireTools } from "./support/requireTools.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("faithful");
  const tree = path.join(work, "tree");
  await fs.mkdir(path.join(tree, "etc"), { recursive: true });
  await fs.mkdir(path.join(tree, "tmp"));
  await fs.mkdir(path.join(tree, "mail"));
  await fs.mkdir(path.join(tree, ".git"));
  await fs.writeFile(path.join(tree, ".git", "HEAD"), "ref\n");
  await fs.writeFile(path.join(tree, "etc", "shadow"), "root:hash:::\n");
  await fs.writeFile(path.join(tree, "etc", "key"), "secret\n");
  await fs.writeFile(path.join(tree, "passwd"), "#!/bin/sh\n");
  await fs.writeFile(path.join(tree, "chage"), "#!/bin/sh\n");
  await fs.writeFile(path.join(tree, "notes.log"), "log\n");
  if (process.getuid?.() === 0) {
    await fs.chown(path.join(tree, "etc", "shadow"), 0, 42);
    await fs.chown(path.join(tree, "chage"), 0, 42);
    await fs.chown(path.join(tree, "mail"), 0, 8);
  }
  const modes: readonly (readonly [string, number])[] = [
    ["etc/shadow", 0o640],
    ["etc/key", 0o600],
    ["passwd", 0o4755],
    ["chage", 0o2755],
    ["tmp", 0o1777],
    ["mail", 0o2775],
  ];
  for (const [p, mode] of modes) await fs.chmod(path.join(tree, p), mode);
});
afterAll(() => removeTempDir(work));

const specFile = async (name: string, layer: Record<string, unknown>): Promise<string> => {
  const file = path.join(work, `${name}.json`);
  await fs.writeFile(file, JSON.stringify({ name, layers: [{ name: "tree", source: "tree", ...layer }] }));
  return file;
};

const listingOf = async (name: string, layer: Record<string, unknown>): Promise<ReadonlyMap<string, string>> => {
  const out = path.join(work, `out-${name}`);
  await buildSpec(await specFile(name, layer), out);
  return layerListing(out);
};

const pick = (listing: ReadonlyMap<string, string>, names: readonly string[]): Record<string, string | undefined> =>
  Object.fromEntries(names.map((n) => [n, listing.get(n)]));

describe.runIf(requireTools("tar"))("a copied tree, as GNU tar lists the layer", () => {
  test("by default keeps every permission bit: nothing restricted is widened, setuid, setgid and sticky stay", async () => {
    const listing = await listingOf("kept", {});
    expect(pick(listing, ["./etc/shadow", "./etc/key", "./passwd", "./chage", "./tmp/", "./mail/"])).toEqual({
      "./etc/shadow": "-rw-r----- 0/0",
      "./etc/key": "-rw------- 0/0",
      "./passwd": "-rwsr-xr-x 0/0",
      "./chage": "-rwxr-sr-x 0/0",
      "./tmp/": "drwxrwxrwt 0/0",
      "./mail/": "drwxrwsr-x 0/0",
    });
  });

  test('with modes: "normalise", gives group and other the owner\'s bits without write and drops special bits (the old rule)', async () => {
    const listing = await listingOf("normalised", { modes: "normalise" });
    expect(pick(listing, ["./etc/shadow", "./etc/key", "./passwd", "./chage", "./tmp/", "./mail/"])).toEqual({
      "./etc/shadow": "-rw-r--r-- 0/0",
      "./etc/key": "-rw-r--r-- 0/0",
      "./passwd": "-rwxr-xr-x 0/0",
      "./chage": "-rwxr-xr-x 0/0",
      "./tmp/": "drwxr-xr-x 0/0",
      "./mail/": "drwxr-xr-x 0/0",
    });
  });

  test.runIf(process.getuid?.() === 0)('with owners: "keep", keeps the numeric owners on disk (and the modes)', async () => {
    const listing = await listingOf("owners", { owners: "keep" });
    expect(pick(listing, ["./etc/shadow", "./chage", "./mail/", "./passwd"])).toEqual({
      "./etc/shadow": "-rw-r----- 0/42",
      "./chage": "-rwxr-sr-x 0/42",
      "./mail/": "drwxrwsr-x 0/8",
      "./passwd": "-rwsr-xr-x 0/0",
    });
  });

  test("with exclude, leaves out what the patterns match and keeps the rest", async () => {
    const listing = await listingOf("excluded", { exclude: [".git", "*.log", "etc/*", "!etc/shadow"] });
    expect([...listing.keys()]).toEqual(["./", "./chage", "./etc/", "./etc/shadow", "./mail/", "./passwd", "./tmp/"]);
  });
});

describe.runIf(requireTools("mknod") && requireRoot("mknod"))("a device node in a copied tree", () => {
  beforeAll(async () => {
    await fs.mkdir(path.join(work, "tree", "dev"));
    execFileSync("mknod", [path.join(work, "tree", "dev", "console"), "c", "5", "1"]);
  });
  afterAll(async () => {
    await fs.rm(path.join(work, "tree", "dev"), { recursive: true });
  });

  test("stops the build (exit 1), naming the file and the exclude option", async () => {
    const run = await runCli(["build", await specFile("device", {}), "--out", path.join(work, "out-device")]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 1,
      stderr: 'assemble-rootfs-tree layers[0].source: tree/dev/console is a character device; only files, folders and symlinks go into a layer (leave it out with an exclude pattern on this copy, such as "dev/*")\n',
    });
  });

  test('builds with exclude: ["dev/*"], keeping dev/ itself', async () => {
    const listing = await listingOf("device-excluded", { exclude: ["dev/*"] });
    expect([...listing.keys()].filter((k) => k.startsWith("./dev"))).toEqual(["./dev/"]);
  });
});
