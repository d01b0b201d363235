// Hostile but legitimate trees go into a layer exactly: names that are not UTF-8, names over 100
// and 255 bytes, a path of many 200-byte components, a sparse file, hard links, a 10-deep symlink
// chain, absolute and dangling symlinks, a Copy source that is itself a symlink to outside the
// tree. The built layer is extracted with GNU tar and compared with the source: names (bytes),
// types, modes, link targets, content hashes and which paths share an inode.
//
// A file over 8 GiB is covered by its header only (the same bytes GNU tar writes), not end to
// end: reading 9 GiB of zeros and hashing them takes some 19 s here before anything is written,
// and the build then writes the 9 GiB layer, re-hashes it and archives it again.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lower } from "@ocistage/lower";
import type { Program, StepOf } from "@ocistage/program";
import { decodeSpec } from "@ocistage/spec";
import { formatBuildError } from "../src/BuildError.ts";
import { assembleTree, orderedNodes } from "../src/assembleTree.ts";
import { buildImage } from "../src/buildImage.ts";
import { canonicalTarOptions, encodeTarHeader } from "@ocistage/tar";
import { tarItemOf } from "../src/writeTreeTar.ts";
import type { TreeSpec } from "../../tar/test/fixtures/tar/harness.ts";
import { GNU_TAR, gnuTarHead, join, makeTree, parseArchive } from "../../tar/test/fixtures/tar/harness.ts";
import { makeTempDir, removeTempDir } from "./support/tempDir.ts";
import { programOf } from "@ocistage/test-support";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

let work = "";
beforeAll(async () => {
  work = await makeTempDir("roundtrip");
});
afterAll(() => removeTempDir(work));

const programOfSpec = (spec: unknown): Program => programOf(spec, { sourceDateEpoch: 1_700_000_000 });

// What a tree holds, by raw path bytes (hex, so non-UTF-8 names compare exactly).
interface Seen {
  readonly type: "dir" | "file" | "symlink";
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly target?: string; // symlink target, hex
  readonly sha256?: string;
  readonly inode?: string; // a label shared by paths that are one file
}

const walk = (root: string, modeOf: (mode: number, type: Seen["type"]) => number): ReadonlyMap<string, Seen> => {
  const seen = new Map<string, Seen>();
  const inodes = new Map<string, string>();
  const visit = (rel: Buffer): void => {
    const at = rel.length === 0 ? Buffer.from(root) : join(root, rel);
    const s = fs.lstatSync(at);
    const type = s.isDirectory() ? "dir" : s.isSymbolicLink() ? "symlink" : "file";
    const key = rel.toString("hex");
    const base = { type, mode: type === "symlink" ? 0o777 : modeOf(s.mode & 0o7777, type), uid: s.uid, gid: s.gid } as const;
    if (type === "symlink") seen.set(key, { ...base, target: fs.readlinkSync(at, { encoding: "buffer" }).toString("hex") });
    else if (type === "file") {
      const hash = createHash("sha256");
      const fd = fs.openSync(at, "r");
      const buffer = Buffer.alloc(MiB);
      for (let n = fs.readSync(fd, buffer); n > 0; n = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
      fs.closeSync(fd);
      const ino = `${s.dev}:${s.ino}`;
      if (s.nlink > 1 && !inodes.has(ino)) inodes.set(ino, key);
      seen.set(key, { ...base, sha256: hash.digest("hex"), ...(s.nlink > 1 ? { inode: inodes.get(ino) ?? "" } : {}) });
    } else {
      seen.set(key, base);
      for (const name of fs.readdirSync(at, { encoding: "buffer" })) visit(rel.length === 0 ? name : Buffer.concat([rel, Buffer.from("/"), name]));
    }
  };
  visit(Buffer.alloc(0));
  return seen;
};

// Hard links whose other names are all inside the tree stay links; a file linked from outside
// is a plain file in the layer.
const insideLinks = (seen: ReadonlyMap<string, Seen>): ReadonlyMap<string, Seen> => {
  const groups = new Map<string, number>();
  for (const v of seen.values()) if (v.inode !== undefined) groups.set(v.inode, (groups.get(v.inode) ?? 0) + 1);
  return new Map(
    [...seen].map(([k, v]) => {
      if (v.inode === undefined || (groups.get(v.inode) ?? 0) > 1) return [k, v];
      const { inode: _, ...rest } = v;
      return [k, rest];
    }),
  );
};

const deepPath = Array.from({ length: 8 }, (_, i) => `${i}`.repeat(200)).join("/");

const SOURCE_TREE: readonly TreeSpec[] = [
  { kind: "file", path: "bin/tool", content: "#!/bin/sh\necho tool\n", mode: 0o755 },
  { kind: "file", path: "bin/suid", content: "s", mode: 0o4755 },
  { kind: "file", path: "etc/secret", content: "s3cret\n", mode: 0o600 },
  { kind: "dir", path: "tmp", mode: 0o1777 },
  { kind: "dir", path: "empty" },
  // names that are not UTF-8
  { kind: "file", path: Buffer.from([0xff, 0xfe, 0x41]), content: "latin-1" },
  { kind: "dir", path: Buffer.from([0x80]) },
  { kind: "file", path: Buffer.concat([Buffer.from([0x80]), Buffer.from("/"), Buffer.from([0xc3, 0x28])]), content: "broken utf-8" },
  // names around the 100-byte header field and the 255-byte name limit; a path of 1607 bytes
  { kind: "file", path: "n".repeat(100), content: "100" },
  { kind: "file", path: "n".repeat(101), content: "101" },
  { kind: "file", path: "m".repeat(255), content: "255" },
  { kind: "file", path: `${deepPath}/bottom`, content: "deep" },
  // a sparse file: a hole and a tail
  { kind: "sparse", path: "disk.img", size: 64 * MiB + 3, tail: "end" },
  // hard links: three names of one file, and a file also linked from outside the tree
  { kind: "file", path: "hl/a", content: "shared" },
  { kind: "hardlink", path: "hl/b", target: "hl/a" },
  { kind: "hardlink", path: "hl/c/d", target: "hl/a" },
  // symlinks: a 10-deep chain, absolute, dangling, a long target, one to a folder
  ...Array.from({ length: 10 }, (_, i): TreeSpec => ({ kind: "symlink", path: `chain/l${i}`, target: i === 9 ? "end" : `l${i + 1}` })),
  { kind: "file", path: "chain/end", content: "end of the chain" },
  { kind: "symlink", path: "lib", target: "/usr/lib" },
  { kind: "symlink", path: "dangling", target: "nowhere" },
  { kind: "symlink", path: "long-link", target: `/${"t".repeat(300)}` },
  { kind: "symlink", path: "up", target: "../../.." },
];

describe("a hostile but legitimate tree", () => {
  it("round-trips through the layer exactly, as GNU tar extracts it", async () => {
    const src = path.join(work, "src");
    const rootfs = path.join(src, "rootfs");
    fs.mkdirSync(rootfs, { recursive: true });
    makeTree(rootfs, SOURCE_TREE);
    fs.writeFileSync(path.join(work, "outside"), "linked from outside");
    fs.linkSync(path.join(work, "outside"), path.join(rootfs, "outside-link"));
    fs.symlinkSync("/etc", path.join(src, "etc-link"));

    const program = programOfSpec({
      name: "roundtrip",
      layers: [
        { name: "tree", source: "rootfs" },
        { name: "links", files: [{ source: "etc-link", destination: "/etc-link" }] },
      ],
    });
    const out = path.join(work, "out");
    const built = await buildImage(program, { sourceRoot: src, out })();
    if (E.isLeft(built)) throw new Error(formatBuildError(built.left).join("\n"));
    const [treeLayer, linksLayer] = built.right.descriptors;
    const blob = (digest: string): string => path.join(out, "blobs", "sha256", digest.replace("sha256:", ""));

    const extracted = path.join(work, "extracted");
    fs.mkdirSync(extracted);
    const tar = spawnSync(GNU_TAR, ["-xpf", blob(treeLayer?.digest ?? ""), "-C", extracted, "--numeric-owner"], { encoding: "utf8" });
    expect({ status: tar.status, stderr: tar.stderr }).toEqual({ status: 0, stderr: "" });

    // The layer's modes are the source's, kept (setuid and sticky too); the root is 0755; owners are 0:0.
    const expected = insideLinks(walk(rootfs, (mode) => mode));
    const rootKey = "";
    const want = new Map([...expected].map(([k, v]) => [k, { ...v, uid: 0, gid: 0, ...(k === rootKey ? { mode: 0o755 } : {}) }]));
    const got = walk(extracted, (mode) => mode);
    expect(got).toEqual(want);
    // And the extraction really kept those things (the comparison above is not vacuous).
    expect(got.get(Buffer.from("hl/c/d").toString("hex"))?.inode).toBe(Buffer.from("hl/a").toString("hex"));
    expect(got.get(Buffer.from("outside-link").toString("hex"))?.inode).toBeUndefined();
    expect(got.get(Buffer.from("chain/l0").toString("hex"))?.target).toBe(Buffer.from("l1").toString("hex"));
    expect(got.get(Buffer.from(`${deepPath}/bottom`).toString("hex"))?.type).toBe("file");
    expect(got.get(Buffer.from("bin/suid").toString("hex"))?.mode).toBe(0o4755);
    expect(got.get(Buffer.from("etc/secret").toString("hex"))?.mode).toBe(0o600);
    expect(got.get(Buffer.from("tmp").toString("hex"))?.mode).toBe(0o1777);
    expect(got.size).toBe(expected.size);

    // The Copy source that is a symlink to /etc is a symlink in the layer, never followed.
    const links = parseArchive(fs.readFileSync(blob(linksLayer?.digest ?? "")));
    expect(links.map((h) => [h.name.toString(), h.typeflag, h.linkname.toString()])).toEqual([
      ["./", "5", ""],
      ["./etc-link", "2", "/etc"],
    ]);
  }, 60_000);

  it("gives a file over 8 GiB the header GNU tar gives it (base-256 size)", async () => {
    const src = path.join(work, "huge");
    makeTree(src, [{ kind: "sparse", path: "rootfs/huge.img", size: 9 * GiB, tail: "tail" }]);
    const program = programOfSpec({ name: "huge", layers: [{ name: "huge", source: "rootfs" }] });
    const step = program.steps.find((s): s is StepOf<"AssembleRootfs"> => s._tag === "AssembleRootfs");
    if (step === undefined) throw new Error("no assemble step");
    const tree = await assembleTree(step, src)();
    if (E.isLeft(tree)) throw new Error(formatBuildError(tree.left).join("\n"));
    const nodes = orderedNodes(tree.right);
    const file = nodes.find((n) => n.key === "huge.img");
    expect(file?.data._tag === "File" && file.data.from._tag === "Disk" ? file.data.from.identity.size : 0n).toBe(BigInt(9 * GiB));
    const ours = Buffer.concat(nodes.map((n) => encodeTarHeader(tarItemOf(n, 1_700_000_000).entry)));
    expect(ours[512 + 124]).toBe(0x80); // the size field is base-256
    expect(await gnuTarHead(path.join(src, "rootfs"), canonicalTarOptions(1_700_000_000), ours.length)).toEqual(ours);
  }, 60_000);
});
