import * as fs from "node:fs";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, describe, expect, it } from "vitest";
import type { TarOptions } from "../src/index.ts";
import {
  canonicalTarOptions,
  describeTarError,
  encodePaxHeader,
  fileEntry,
  fileItem,
  bytesContent,
  gnuTarCreateArgs,
  paxHeaderName,
  writeTar,
} from "../src/index.ts";
import type { TreeSpec } from "./fixtures/tar/harness.ts";
import { Capture, differenceOf, gnuTar, gnuTarHead, join, makeTree, ourTar, parseArchive, removeTempDirs, tempDir } from "./fixtures/tar/harness.ts";
import { CAP_NET_RAW_EP, capabilityV2, requireRoot, setXattr } from "./fixtures/tar/xattrs.ts";

afterAll(removeTempDirs);

const EPOCH = 1_700_000_000;
const pax: TarOptions = { ...canonicalTarOptions(EPOCH), format: "pax" };
const CAPABILITY = "security.capability";

const n = (length: number, fill = "n"): string => fill.repeat(length);

// Builds `nodes`, gives each path in `caps` a capability, and expects our bytes to be GNU
// tar's; returns GNU tar's archive.
const expectIdentical = async (nodes: readonly TreeSpec[], caps: readonly (readonly [string | Buffer, Uint8Array])[] = [], options: TarOptions = pax): Promise<Buffer> => {
  const root = tempDir("pax");
  makeTree(root, nodes);
  for (const [at, value] of caps) setXattr(at === "" ? root : join(root, at), CAPABILITY, value);
  const theirs = await gnuTar(root, options);
  expect(theirs.status, theirs.stderr).toBe(0);
  const ours = await ourTar(root, options);
  expect(differenceOf(ours, theirs)).toBeUndefined();
  return theirs.head;
};

const recordsOf = (archive: Buffer, name: string): readonly string[] =>
  (parseArchive(archive).find((h) => h.name.toString("latin1") === name)?.pax ?? []).map(([k]) => k);

describe("the pax format's GNU tar command", () => {
  it("is --format=posix with deterministic extended headers and only security.capability, in place of --format=gnu", () => {
    expect(gnuTarCreateArgs(pax, "/root", "-")).toEqual([
      "--format=posix",
      "--pax-option=delete=atime,delete=ctime,exthdr.name=%d/PaxHeaders/%f",
      "--xattrs",
      "--xattrs-include=security.capability",
      "-b1",
      "--sort=name",
      "--numeric-owner",
      "--owner=0",
      "--group=0",
      `--mtime=@${EPOCH}`,
      "--mode=go=u,go-w",
      "-C",
      "/root",
      "-cf",
      "-",
      ".",
    ]);
  });
});

describe("extended header names (exthdr.name=%d/PaxHeaders/%f)", () => {
  const named = (s: string): string => Buffer.from(paxHeaderName(Buffer.from(s))).toString("latin1");
  it("put PaxHeaders between the directory and the last component, without a directory's slash", () => {
    expect(named("./")).toBe("./PaxHeaders/.");
    expect(named("./bin/")).toBe("./PaxHeaders/bin");
    expect(named("./bin/ping")).toBe("./bin/PaxHeaders/ping");
    expect(named("./a/b/c/")).toBe("./a/b/PaxHeaders/c");
  });
});

describe.runIf(requireRoot("setting security.capability"))("layer tar, pax format, against GNU tar 1.34", () => {
  it("records a file's capability as SCHILY.xattr.security.capability, byte for byte", async () => {
    const archive = await expectIdentical([{ kind: "file", path: "bin/ping", content: "ping\n", mode: 0o755 }, { kind: "file", path: "other" }], [["bin/ping", CAP_NET_RAW_EP]]);
    const ping = parseArchive(archive).find((h) => h.name.toString() === "./bin/ping");
    expect(ping?.pax).toEqual([[`SCHILY.xattr.${CAPABILITY}`, CAP_NET_RAW_EP]]);
    // Nothing else gets an extended header: no atime/ctime, no path for short ASCII names.
    expect(parseArchive(archive).filter((h) => h.pax.length > 0).map((h) => h.name.toString())).toEqual(["./bin/ping"]);
  });

  it("is still the pax format for a tree without any capability (what the flags ask GNU tar for)", async () => {
    const archive = await expectIdentical([{ kind: "file", path: "a", content: "x" }]);
    expect(archive.subarray(257, 265).toString("latin1")).toBe("ustar\u000000");
  });

  it("records capabilities of folders, the root and symlinks themselves, with values holding newlines and '='", async () => {
    const odd = capabilityV2([0x0a3d0a0a, 0x3d], [0x0a, 0]);
    const archive = await expectIdentical(
      [
        { kind: "dir", path: "d" },
        { kind: "symlink", path: "link", target: "d" },
        { kind: "file", path: "d/f", content: "f" },
      ],
      [
        ["", CAP_NET_RAW_EP],
        ["d", odd],
        ["link", CAP_NET_RAW_EP],
        ["d/f", odd],
      ],
    );
    expect(recordsOf(archive, "./")).toEqual([`SCHILY.xattr.${CAPABILITY}`]);
    expect(recordsOf(archive, "./link")).toEqual([`SCHILY.xattr.${CAPABILITY}`]);
  });

  it("gives the capability to the first path of a hard-linked file and none to its links", async () => {
    const archive = await expectIdentical(
      [
        { kind: "file", path: "b", content: "same" },
        { kind: "hardlink", path: "a", target: "b" },
        { kind: "hardlink", path: "c", target: "b" },
      ],
      [["b", CAP_NET_RAW_EP]],
    );
    expect(recordsOf(archive, "./a")).toEqual([`SCHILY.xattr.${CAPABILITY}`]);
    expect(recordsOf(archive, "./b")).toEqual([]);
    expect(recordsOf(archive, "./c")).toEqual([]);
  });

  it("writes path records for names over 100 bytes and for names with bytes over 0x7f, linkpath records for targets over 100 bytes", async () => {
    const archive = await expectIdentical([
      { kind: "file", path: n(98, "a") },
      { kind: "file", path: n(99, "b") },
      { kind: "dir", path: n(97, "c") },
      { kind: "dir", path: n(98, "d") },
      { kind: "file", path: "café" },
      { kind: "file", path: Buffer.from([0x72, 0xff]) },
      { kind: "dir", path: Buffer.from([0x64, 0xe9]) },
      { kind: "file", path: `${n(120, "e")}/${n(150, "f")}` },
      { kind: "symlink", path: "t100", target: n(100, "t") },
      { kind: "symlink", path: "t101", target: n(101, "u") },
      { kind: "symlink", path: "tutf", target: "té" },
      { kind: "symlink", path: n(120, "q"), target: n(130, "T") },
      { kind: "hardlink", path: "zz", target: `${n(120, "e")}/${n(150, "f")}` },
    ]);
    expect(recordsOf(archive, `./${n(98, "a")}`)).toEqual([]);
    expect(recordsOf(archive, `./${n(99, "b")}`)).toEqual(["path"]);
    expect(recordsOf(archive, `./${n(97, "c")}/`)).toEqual([]);
    expect(recordsOf(archive, `./${n(98, "d")}/`)).toEqual(["path"]);
    expect(recordsOf(archive, "./caf\u00c3\u00a9")).toEqual(["path"]);
    expect(recordsOf(archive, "./t100")).toEqual([]);
    expect(recordsOf(archive, "./t101")).toEqual(["linkpath"]);
    expect(recordsOf(archive, "./tutf")).toEqual([]);
    expect(recordsOf(archive, `./${n(120, "q")}`)).toEqual(["linkpath", "path"]);
    expect(recordsOf(archive, "./zz")).toEqual(["linkpath"]);
  });

  it("writes uid, gid and mtime records for values the ustar fields cannot hold, along with a capability", async () => {
    const nodes: readonly TreeSpec[] = [{ kind: "file", path: "f", content: "x" }];
    const caps = [["f", CAP_NET_RAW_EP]] as const;
    for (const [uid, gid] of [
      [2_097_151, 2_097_152],
      [3_000_000, 0],
    ] as const)
      await expectIdentical(nodes, caps, { ...pax, owner: { uid, gid } });
    for (const mtime of [-5, 0, 8_589_934_591, 8_589_934_592, 9_000_000_000]) await expectIdentical(nodes, caps, { ...pax, mtime });
    const archive = await expectIdentical(nodes, caps, { ...pax, mtime: -1, owner: { uid: 3_000_000, gid: 3_000_001 } });
    expect(recordsOf(archive, "./f")).toEqual(["uid", "gid", "mtime", `SCHILY.xattr.${CAPABILITY}`]);
  });

  it("writes a size record for a file over 8 GiB (headers compared; GNU tar is stopped after them)", async () => {
    const root = tempDir("pax-big");
    const size = 9 * 1024 ** 3;
    const fd = fs.openSync(join(root, "big"), "w");
    fs.ftruncateSync(fd, size);
    fs.closeSync(fd);
    setXattr(join(root, "big"), CAPABILITY, CAP_NET_RAW_EP);
    const head = await gnuTarHead(root, pax, 4 * 512);
    const rootHeader = encodePaxHeader({ _tag: "Directory", path: new Uint8Array(0), mode: 0o755, uid: 0, gid: 0, mtime: EPOCH });
    const bigHeader = encodePaxHeader(fileEntry(Buffer.from("big"), { mode: 0o644, uid: 0, gid: 0, mtime: EPOCH }, BigInt(size), [{ name: CAPABILITY, value: CAP_NET_RAW_EP }]));
    expect(Buffer.from(rootHeader).equals(head.subarray(0, 512))).toBe(true);
    expect(bigHeader.length).toBe(3 * 512);
    expect(Buffer.from(bigHeader).equals(head.subarray(512, 2048))).toBe(true);
  });
});

describe("the gnu format", () => {
  it("refuses an entry with extended attributes, which GNU tar cannot write in it", async () => {
    const entry = fileEntry(Buffer.from("f"), { mode: 0o644, uid: 0, gid: 0, mtime: 0 }, 1, [{ name: CAPABILITY, value: CAP_NET_RAW_EP }]);
    const result = await writeTar([fileItem(entry, bytesContent(Buffer.from("x")))], new Capture())();
    expect(E.isLeft(result) && describeTarError(result.left)).toBe("f: cannot be written to a tar: extended attributes need the pax format (GNU tar records them only with --format=posix)");
  });

  it("refuses extended attribute names GNU tar would percent-encode", async () => {
    const entry = fileEntry(Buffer.from("f"), { mode: 0o644, uid: 0, gid: 0, mtime: 0 }, 1, [{ name: "user.a=b", value: new Uint8Array([1]) }]);
    const result = await writeTar([fileItem(entry, bytesContent(Buffer.from("x")))], new Capture(), { format: "pax" })();
    expect(E.isLeft(result) && describeTarError(result.left)).toContain('extended attribute name "user.a=b" is not printable ASCII without "=" and "%"');
  });
});
