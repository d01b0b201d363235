import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TarOptions } from "../src/index.ts";
import { canonicalTarOptions, GNU_TAR_CANONICAL_ARGS, gnuTarCreateArgs } from "../src/index.ts";
import type { TreeSpec } from "./fixtures/tar/harness.ts";
import { differenceOf, gnuTar, isRoot, makeTree, ourTar, parseArchive, removeTempDirs, tempDir, withUmask } from "./fixtures/tar/harness.ts";

afterAll(removeTempDirs);

const EPOCH = 1_700_000_000;
const canonical = canonicalTarOptions(EPOCH);

const name = (length: number, fill = "n"): string => fill.repeat(length);

// Builds `nodes` in a fresh directory, runs GNU tar and our writer on it, and expects the same
// bytes; returns GNU tar's archive for further assertions.
const expectIdentical = async (nodes: readonly TreeSpec[], options: TarOptions = canonical): Promise<Buffer> => {
  const root = tempDir();
  makeTree(root, nodes);
  return expectIdenticalAt(root, options);
};

const expectIdenticalAt = async (root: string, options: TarOptions = canonical): Promise<Buffer> => {
  const theirs = await gnuTar(root, options);
  expect(theirs.status, theirs.stderr).toBe(0);
  const ours = await ourTar(root, options);
  expect(differenceOf(ours, theirs)).toBeUndefined();
  expect(ours.result).toEqual({ digest: theirs.digest, size: theirs.size });
  return theirs.head;
};

describe("the canonical GNU tar command", () => {
  it("is tar --format=gnu -b1 --sort=name --numeric-owner --owner --group --mtime --mode -C ROOT -cf - .", () => {
    expect(GNU_TAR_CANONICAL_ARGS.join(" ")).toBe(
      "--format=gnu -b1 --sort=name --numeric-owner --owner=0 --group=0 --mtime=@$EPOCH --mode=go=u,go-w -C $ROOT -cf - .",
    );
    expect(gnuTarCreateArgs(canonicalTarOptions(-5, { uid: 1000, gid: 50 }), "/some root", "/out.tar")).toEqual([
      "--format=gnu",
      "-b1",
      "--sort=name",
      "--numeric-owner",
      "--owner=1000",
      "--group=50",
      "--mtime=@-5",
      "--mode=go=u,go-w",
      "-C",
      "/some root",
      "-cf",
      "/out.tar",
      ".",
    ]);
  });

  it("ends the archive with exactly two zero blocks (-b1: no record padding)", async () => {
    const archive = await expectIdentical([{ kind: "file", path: "a", content: "x" }]);
    // ./ header, ./a header, one data block, two zero blocks
    expect(archive.length).toBe(5 * 512);
    expect(archive.subarray(3 * 512).every((b) => b === 0)).toBe(true);
  });
});

describe("layer tar", () => {
  it("matches GNU tar byte for byte for an empty root", async () => {
    await expectIdentical([]);
  });

  it("matches GNU tar byte for byte for names with spaces, quotes, $, backticks, backslashes, newlines and leading dashes", async () => {
    const hostile = ["with space", "it's", 'say "hi"', "$HOME", "`id`", "back\\slash", "new\nline", "-rf", "--help", "tab\there", "*?[x]", "ünïcødé", "semi;colon&amp|"];
    await expectIdentical([
      ...hostile.map((n): TreeSpec => ({ kind: "file", path: n, content: n })),
      ...hostile.map((n): TreeSpec => ({ kind: "dir", path: `dir ${n}` })),
      { kind: "file", path: "-dir/--file", content: "dash" },
    ]);
  });

  it("matches GNU tar byte for byte for names that are not UTF-8", async () => {
    await expectIdentical([
      { kind: "file", path: Buffer.from([0xff, 0xfe, 0x41]), content: "latin" },
      { kind: "dir", path: Buffer.from([0x80, 0x2f, 0xc3, 0x28]) },
      { kind: "symlink", path: Buffer.from([0xe9, 0x6c]), target: Buffer.from([0xff, 0x2f, 0x01]) },
      { kind: "file", path: Buffer.from([0x01, 0x7f, 0x1b, 0x5b]), content: "controls" },
    ]);
  });

  it("matches GNU tar byte for byte for names of 99, 100, 101, 200 and 255 bytes (././@LongLink above 100)", async () => {
    // The archive name is "./" + path, so a component of n bytes gives an (n+2)-byte name.
    const lengths = [96, 97, 98, 99, 100, 101, 198, 200, 253, 255];
    const archive = await expectIdentical([
      ...lengths.map((n): TreeSpec => ({ kind: "file", path: name(n, "f"), content: String(n) })),
      ...lengths.map((n): TreeSpec => ({ kind: "dir", path: name(n, "d") })),
      { kind: "file", path: `${name(255, "p")}/${name(255, "q")}/${name(200, "r")}`, content: "deep long" },
      // Long names whose record (name + NUL) fills exactly one block, and one byte more.
      { kind: "file", path: `${name(255, "p")}/${name(253, "s")}`, content: "511" },
      { kind: "file", path: `${name(255, "p")}/${name(254, "s")}`, content: "512" },
    ]);
    // Exactly the names over 100 bytes ("./" + 99, or "./" + 98 + "/" for a directory) get one.
    for (const header of parseArchive(archive)) expect(header.longRecords).toBe(header.name.length > 100 ? "L" : "");
    expect(parseArchive(archive).filter((h) => h.longRecords === "L").map((h) => h.name.length)).toEqual([
      ...[101, 102, 103, 104, 201, 203, 256, 258], // directories: "./" + n + "/"
      ...[101, 102, 103, 200, 202, 255, 257], // files: "./" + n
      ...[258, 514, 714, 511, 512], // the nested paths and their parents
    ]);
  });

  it("matches GNU tar byte for byte for deep nesting and empty directories", async () => {
    const deep = Array.from({ length: 60 }, (_, i) => `level${i}`).join("/");
    await expectIdentical([
      { kind: "file", path: `${deep}/bottom`, content: "bottom" },
      { kind: "dir", path: `${deep}/empty` },
      { kind: "dir", path: "empty" },
      { kind: "dir", path: "a/b/c/empty" },
      // Order traps: "a-b" sorts before "a/..." byte-wise, but GNU tar walks a's contents first.
      { kind: "file", path: "a-b", content: "" },
      { kind: "file", path: "a.b", content: "" },
      { kind: "file", path: "a/x", content: "" },
      { kind: "file", path: "A", content: "" },
      { kind: "file", path: "_", content: "" },
    ]);
  });

  it("matches GNU tar byte for byte for symlinks with short, 100-byte and long targets (././@LongLink 'K')", async () => {
    const archive = await expectIdentical([
      { kind: "file", path: "bin/busybox", content: "#!/bin/sh\n" },
      { kind: "symlink", path: "bin/sh", target: "busybox" },
      { kind: "symlink", path: "abs", target: "/etc/passwd" },
      { kind: "symlink", path: "dangling", target: "../../nowhere" },
      { kind: "symlink", path: "dirlink", target: "bin" },
      { kind: "symlink", path: "t99", target: name(99, "t") },
      { kind: "symlink", path: "t100", target: name(100, "t") },
      { kind: "symlink", path: "t101", target: name(101, "t") },
      { kind: "symlink", path: "t300", target: `${name(150, "u")}/${name(149, "v")}` },
      // Both a long name and a long target: GNU tar writes 'K' before 'L'.
      { kind: "symlink", path: name(150, "s"), target: name(150, "t") },
    ]);
    const records = new Map(parseArchive(archive).map((h) => [h.name.toString(), h.longRecords]));
    expect([records.get("./t100"), records.get("./t101"), records.get(`./${name(150, "s")}`)]).toEqual(["", "K", "KL"]);
  });

  it("matches GNU tar byte for byte for hard links, which point at the first path in walk order", async () => {
    const archive = await expectIdentical([
      { kind: "file", path: "z-first-created", content: "shared" },
      { kind: "hardlink", path: "a-seen-first", target: "z-first-created" },
      { kind: "hardlink", path: "m/middle", target: "z-first-created" },
      { kind: "file", path: "empty", content: "" },
      { kind: "hardlink", path: "empty2", target: "empty" },
      { kind: "file", path: name(150, "h"), content: "long" },
      { kind: "hardlink", path: name(160, "i"), target: name(150, "h") },
      { kind: "symlink", path: "sym", target: "z-first-created" },
      { kind: "hardlink", path: "sym-hardlinked", target: "sym" },
      { kind: "file", path: "exec", content: "x", mode: 0o4755 },
      { kind: "hardlink", path: "exec-link", target: "exec" },
    ]);
    const links = parseArchive(archive).filter((h) => h.typeflag === "1");
    expect(links.map((h) => [h.name.toString(), h.linkname.toString()])).toContainEqual(["./m/middle", "./a-seen-first"]);
    expect(links.map((h) => [h.name.toString(), h.linkname.toString()])).toContainEqual(["./sym-hardlinked", "./sym"]);
  });

  it("matches GNU tar byte for byte for a file hard-linked from outside the tree (a plain file inside)", async () => {
    const outside = tempDir();
    const root = tempDir();
    fs.writeFileSync(path.join(outside, "original"), "shared");
    fs.linkSync(path.join(outside, "original"), path.join(root, "inside"));
    await expectIdenticalAt(root);
  });

  it("matches GNU tar byte for byte for executable, read-only, setuid, setgid and sticky files and directories", async () => {
    await expectIdentical([
      { kind: "file", path: "exec", content: "#!/bin/sh\n", mode: 0o755 },
      { kind: "file", path: "owner-exec", content: "x", mode: 0o700 },
      { kind: "file", path: "read-only", content: "ro", mode: 0o400 },
      // Only root can read a file without owner read permission (GNU tar and we alike).
      ...(isRoot ? [{ kind: "file" as const, path: "no-perms", content: "none", mode: 0o000 }] : []),
      { kind: "file", path: "world-writable", content: "w", mode: 0o666 },
      { kind: "file", path: "setuid", content: "su", mode: 0o4755 },
      { kind: "file", path: "setgid", content: "sg", mode: 0o2755 },
      { kind: "file", path: "sticky", content: "st", mode: 0o1644 },
      { kind: "file", path: "all-special", content: "all", mode: 0o7777 },
      { kind: "dir", path: "tmp", mode: 0o1777 },
      { kind: "dir", path: "setgid-dir", mode: 0o2775 },
      { kind: "dir", path: "setuid-dir", mode: 0o4755 },
      { kind: "dir", path: "private", mode: 0o700 },
      { kind: "file", path: "private/secret", content: "s", mode: 0o600 },
    ]);
  });

  it("matches GNU tar byte for byte for file sizes around block boundaries", async () => {
    const sizes = [0, 1, 511, 512, 513, 1023, 1024, 1025, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 7];
    await expectIdentical(sizes.map((n): TreeSpec => ({ kind: "file", path: `size-${n}`, content: Buffer.alloc(n, n % 251) })));
  });

  it.each([
    ["0", { uid: 0, gid: 0 }],
    ["1000", { uid: 1000, gid: 1000 }],
    ["the largest octal id, 2097151", { uid: 2_097_151, gid: 2_097_151 }],
    ["base-256 ids from 2097152", { uid: 2_097_152, gid: 65_534 }],
    ["the largest id GNU tar accepts, 4294967294", { uid: 4_294_967_294, gid: 4_294_967_294 }],
  ])("matches GNU tar byte for byte with owner %s", async (_label, owner) => {
    await expectIdentical(
      [
        { kind: "file", path: "f", content: "x" },
        { kind: "file", path: name(120, "l"), content: "y" },
      ],
      canonicalTarOptions(EPOCH, owner),
    );
  });

  it.each([
    ["0", 0],
    ["negative (base-256)", -1],
    ["far in the past (base-256)", -8_589_934_592],
    ["the largest octal mtime", 8_589_934_591],
    ["after 2242 (base-256)", 8_589_934_592],
  ])("matches GNU tar byte for byte with mtime %s", async (_label, mtime) => {
    await expectIdentical([{ kind: "file", path: name(110, "m"), content: "x" }], canonicalTarOptions(mtime));
  });

  it.runIf(isRoot)("matches GNU tar byte for byte when modes and owners are kept as they are on disk", async () => {
    const root = tempDir();
    makeTree(root, [
      { kind: "file", path: "a", content: "a", mode: 0o640 },
      { kind: "file", path: "b", content: "b", mode: 0o7777 },
      { kind: "dir", path: "d", mode: 0o1777 },
      { kind: "symlink", path: "s", target: "a" },
    ]);
    fs.lchownSync(path.join(root, "a"), 1234, 5678);
    fs.lchownSync(path.join(root, "s"), 3_000_000, 42);
    await expectIdenticalAt(root, { mtime: EPOCH, owner: "keep", modes: "keep" });
  });

  // go=u derives group/other from the owner bits, so umasks that only mask group/other bits do
  // not show in the layer; a umask that masks owner bits (0277) would.
  it("does not depend on the group/other bits of the umask the tree was created under", async () => {
    const nodes: readonly TreeSpec[] = [
      { kind: "dir", path: "etc/ssl" },
      { kind: "file", path: "etc/hosts", content: "127.0.0.1 localhost\n" },
      { kind: "file", path: "bin/tool", content: "#!/bin/sh\n", mode: 0o755 },
      { kind: "symlink", path: "bin/alias", target: "tool" },
    ];
    const archives: Buffer[] = [];
    for (const mask of [0o022, 0o077, 0o002, 0o000, 0o027]) {
      const root = tempDir();
      withUmask(mask, () => makeTree(root, nodes));
      archives.push(await expectIdenticalAt(root));
    }
    for (const archive of archives) expect(archive.equals(archives[0] as Buffer)).toBe(true);
  });
});
