import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, describe, expect, it } from "vitest";
import type { TarError, TarItem } from "../src/index.ts";
import {
  bytesContent,
  canonicalTarOptions,
  describeTarError,
  directoryEntry,
  diskContent,
  encodeTarHeader,
  fileEntry,
  fileItem,
  hardLinkEntry,
  metadataItem,
  normaliseTarMode,
  sortTarItems,
  symlinkEntry,
  SYMLINK_TAR_MODE,
  walkTree,
  writeTar,
  writeTarFile,
  writeTarFileUnhashed,
} from "../src/index.ts";
import type { TreeSpec } from "./fixtures/tar/harness.ts";
import { Capture, differenceOf, gnuTar, gnuTarHead, makeTree, removeTempDirs, tempDir, writeItems } from "./fixtures/tar/harness.ts";

afterAll(removeTempDirs);

const EPOCH = 1_700_000_000;
const canonical = canonicalTarOptions(EPOCH);
const b = (s: string): Buffer => Buffer.from(s);
const GiB = 1024 ** 3;

const collect = async <A>(items: AsyncIterable<A>): Promise<A[]> => {
  const out: A[] = [];
  for await (const item of items) out.push(item);
  return out;
};

const rightsOf = async (root: string): Promise<TarItem[]> =>
  (await collect(walkTree(root, canonical))).map((item) => {
    if (E.isLeft(item)) throw new Error(describeTarError(item.left));
    return item.right;
  });

const leftOf = <A>(result: E.Either<TarError, A>): TarError => {
  if (E.isRight(result)) throw new Error("expected a failure");
  return result.left;
};

describe("writing a layer tar", () => {
  it("writes a virtual tree (entries from many sources, sorted with sortTarItems) exactly as GNU tar writes the same tree from disk", async () => {
    const root = tempDir();
    makeTree(root, [
      { kind: "dir", path: "etc" },
      { kind: "file", path: "etc/motd", content: "hello\n" },
      { kind: "file", path: "etc/os-release", content: 'ID="ocistage"\n' },
      { kind: "dir", path: "usr/bin" },
      { kind: "file", path: "usr/bin/app", content: "#!/bin/sh\necho app\n", mode: 0o755 },
      { kind: "symlink", path: "usr/bin/app-alias", target: "app" },
      { kind: "file", path: "usr/bin-extra", content: "" },
      { kind: "hardlink", path: "etc/motd.link", target: "etc/motd" },
    ]);
    const meta = (mode: number, isDirectory = false): { mode: number; uid: number; gid: number; mtime: number } => ({
      mode: normaliseTarMode(mode, isDirectory),
      uid: 0,
      gid: 0,
      mtime: EPOCH,
    });
    const rootMode = fs.statSync(root).mode;
    const inline = (p: string, text: string, mode = 0o644): TarItem => fileItem(fileEntry(b(p), meta(mode), Buffer.byteLength(text)), bytesContent(b(text)));
    const shuffled: TarItem[] = [
      inline("usr/bin-extra", ""),
      metadataItem(symlinkEntry(b("usr/bin/app-alias"), { ...meta(0), mode: SYMLINK_TAR_MODE }, b("app"))),
      fileItem(fileEntry(b("usr/bin/app"), meta(0o755), 19), diskContent(path.join(root, "usr/bin/app"))),
      metadataItem(hardLinkEntry(b("etc/motd.link"), meta(0o644), b("etc/motd"))),
      metadataItem(directoryEntry(b("usr"), meta(0o755, true))),
      inline("etc/os-release", 'ID="ocistage"\n'),
      metadataItem(directoryEntry(b(""), meta(rootMode, true))),
      metadataItem(directoryEntry(b("usr/bin"), meta(0o755, true))),
      inline("etc/motd", "hello\n"),
      metadataItem(directoryEntry(b("etc"), meta(0o755, true))),
    ];
    const ours = await writeItems(sortTarItems(shuffled));
    const theirs = await gnuTar(root, canonical);
    expect(differenceOf(ours, theirs)).toBeUndefined();
  });

  it("returns the sha256 and size of exactly the bytes it wrote", async () => {
    const root = tempDir();
    makeTree(root, [{ kind: "file", path: "a", content: "abc" }]);
    const capture = new Capture();
    const result = await writeTar(walkTree(root, canonical), capture)();
    const bytes = capture.bytes();
    expect(result).toEqual(E.right({ digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}`, size: bytes.length }));
  });

  it("writes a file with writeTarFile, and removes it when writing fails", async () => {
    const root = tempDir();
    const out = tempDir("out");
    makeTree(root, [{ kind: "file", path: "a", content: "abc" }]);
    const file = path.join(out, "layer.tar");
    const result = await writeTarFile(walkTree(root, canonical), file)();
    const bytes = fs.readFileSync(file);
    expect(result).toEqual(E.right({ digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}`, size: bytes.length }));

    const failing = path.join(out, "failing.tar");
    const error = leftOf(await writeTarFile([E.left<TarError, TarItem>({ _tag: "WriteFailed", reason: "upstream" })], failing)());
    expect(error._tag).toBe("WriteFailed");
    expect(fs.existsSync(failing)).toBe(false);
  });

  it("writes a file with writeTarFile (chunks recycled) byte for byte as GNU tar, for a layer of many chunks", async () => {
    const root = tempDir();
    makeTree(root, [
      { kind: "file", path: "big", content: Buffer.alloc(20 * 1024 * 1024 + 3, 7) },
      ...Array.from({ length: 300 }, (_, i): TreeSpec => ({ kind: "file", path: `small/${i}`, content: Buffer.alloc(i * 97, i) })),
      { kind: "file", path: "zz-big", content: Buffer.alloc(5 * 1024 * 1024 - 1, 9) },
    ]);
    const file = path.join(tempDir("out"), "layer.tar");
    const result = await writeTarFile(walkTree(root, canonical), file)();
    const theirs = await gnuTar(root, canonical);
    expect(result).toEqual(E.right({ digest: theirs.digest, size: theirs.size }));
    const unhashed = path.join(tempDir("out"), "unhashed.tar");
    expect(await writeTarFileUnhashed(walkTree(root, canonical), unhashed)()).toEqual(E.right(theirs.size));
    expect(fs.readFileSync(unhashed).equals(fs.readFileSync(file))).toBe(true);
  });

  it("reports a failing output as WriteFailed", async () => {
    const root = tempDir();
    makeTree(root, [{ kind: "file", path: "a", content: "x".repeat(3 * 1024 * 1024) }]);
    const broken = new Writable({ write: (_chunk, _encoding, done) => done(new Error("disk full")) });
    const error = leftOf(await writeTar(walkTree(root, canonical), broken)());
    expect(error).toEqual({ _tag: "WriteFailed", reason: "disk full" });
  });

  describe("a file that changes while it is read (GNU tar: 'file changed as we read it')", () => {
    const changedAfterWalk = async (change: (file: string) => void): Promise<TarError> => {
      const root = tempDir();
      makeTree(root, [{ kind: "file", path: "log", content: "x".repeat(5000) }]);
      const items = await rightsOf(root);
      change(path.join(root, "log"));
      return leftOf(await writeTar(items, new Capture())());
    };

    it("is an error naming the file when it grew", async () => {
      const error = await changedAfterWalk((f) => fs.appendFileSync(f, "more"));
      expect(error).toMatchObject({ _tag: "FileChanged", reason: "its size went from 5000 to 5004 bytes" });
      expect(describeTarError(error)).toMatch(/\/log: file changed as we read it/);
    });

    it("is an error naming the file when it shrank", async () => {
      const error = await changedAfterWalk((f) => fs.truncateSync(f, 100));
      expect(error).toMatchObject({ _tag: "FileChanged", reason: "it ended after 100 of 5000 bytes" });
    });

    it("is an error when it was rewritten with the same size", async () => {
      const error = await changedAfterWalk((f) => {
        fs.writeFileSync(f, "y".repeat(5000));
        fs.utimesSync(f, 1, 1);
      });
      expect(error).toMatchObject({ _tag: "FileChanged", reason: "it was modified" });
    });

    it("is an error when it was replaced by another file", async () => {
      const error = await changedAfterWalk((f) => {
        fs.writeFileSync(`${f}.new`, "z".repeat(5000));
        fs.renameSync(`${f}.new`, f);
      });
      expect(error).toMatchObject({ _tag: "FileChanged", reason: "it was replaced by another file" });
    });

    it("is an error when it was replaced by a symlink (never followed)", async () => {
      const error = await changedAfterWalk((f) => {
        fs.rmSync(f);
        fs.symlinkSync("/etc/hostname", f);
      });
      expect(error).toMatchObject({ _tag: "Unreadable", operation: "open" });
    });
  });

  describe("rejects items GNU tar could not have written", () => {
    const meta = { mode: 0o644, uid: 0, gid: 0, mtime: 0 };
    const dir = (p: string): TarItem => metadataItem(directoryEntry(b(p), { ...meta, mode: 0o755 }));
    const inline = (p: string, text: string): TarItem => fileItem(fileEntry(b(p), meta, text.length), bytesContent(b(text)));
    const fails = async (items: readonly TarItem[]): Promise<TarError> => leftOf(await writeTar(items, new Capture())());

    it("out of GNU tar --sort=name order", async () => {
      expect(await fails([dir(""), inline("a-b", ""), inline("a/x", "")])).toMatchObject({ _tag: "OutOfOrder", previous: b("a-b"), path: b("a/x") });
    });

    it("the same path twice", async () => {
      expect((await fails([dir(""), inline("a", ""), inline("a", "")]))._tag).toBe("OutOfOrder");
    });

    it.each([
      ["a '..' component", "a/../b"],
      ["a '.' component", "./a"],
      ["an absolute path", "/etc/passwd"],
      ["a trailing slash", "a/"],
      ["a NUL byte", "a\u0000b"],
    ])("a path with %s", async (_label, p) => {
      expect(await fails([inline(p, "")])).toMatchObject({ _tag: "InvalidEntry", path: b(p) });
    });

    it("content that does not match the size in the header", async () => {
      const item = fileItem(fileEntry(b("a"), meta, 10), bytesContent(b("short")));
      expect(await fails([item])).toMatchObject({ _tag: "InvalidEntry", reason: "the header says 10 bytes, the content has 5" });
    });

    it("modes, ids and sizes out of range", async () => {
      const bad = [
        fileItem(fileEntry(b("a"), { ...meta, mode: 0o10000 }, 0), bytesContent(b(""))),
        fileItem(fileEntry(b("a"), { ...meta, uid: 4_294_967_295 }, 0), bytesContent(b(""))),
        fileItem(fileEntry(b("a"), { ...meta, gid: -1 }, 0), bytesContent(b(""))),
        fileItem(fileEntry(b("a"), { ...meta, mtime: 1.5 }, 0), bytesContent(b(""))),
        fileItem(fileEntry(b("a"), meta, 2n ** 63n), bytesContent(b(""))),
      ];
      for (const item of bad) expect((await fails([item]))._tag).toBe("InvalidEntry");
    });

    it("a symlink without a target, and a hard link to the root", async () => {
      expect((await fails([metadataItem(symlinkEntry(b("s"), meta, b("")))]))._tag).toBe("InvalidEntry");
      expect((await fails([metadataItem(hardLinkEntry(b("h"), meta, b("")))]))._tag).toBe("InvalidEntry");
    });
  });

  // GNU tar with -b1 reads and writes 512 bytes per system call (~4 s per GiB), so multi-GiB
  // bodies are compared only when OCISTAGE_TAR_HUGE=1; headers of huge files always are.
  describe("large files", () => {
    const huge = process.env["OCISTAGE_TAR_HUGE"] === "1";
    const HUGE_TIMEOUT = 30 * 60 * 1000;

    const expectSameSparse = async (size: number): Promise<void> => {
      const root = tempDir();
      makeTree(root, [
        { kind: "sparse", path: "disk.img", size, tail: "the end" },
        { kind: "file", path: "z", content: "after" },
      ]);
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
      const ours = await writeItems(walkTree(root, canonical), 4096);
      clearInterval(sampler);
      const theirs = await gnuTar(root, canonical, 4096);
      expect(differenceOf(ours, theirs)).toBeUndefined();
      expect(rssPeak - rssBefore).toBeLessThan(128 * 1024 * 1024);
    };

    it("matches GNU tar byte for byte for a 256 MiB sparse file, in bounded memory", async () => {
      await expectSameSparse(256 * 1024 * 1024 + 1234);
    });

    it.runIf(huge)("matches GNU tar byte for byte for a 3 GiB sparse file, in bounded memory", async () => {
      await expectSameSparse(3 * GiB + 1234);
    }, HUGE_TIMEOUT);

    it("writes GNU tar's size field for 8 GiB - 1 (octal) and 9 GiB (base-256) exactly", async () => {
      const root = tempDir();
      makeTree(root, [
        { kind: "sparse", path: "edge", size: 8 * GiB - 1 },
        { kind: "sparse", path: "huge", size: 9 * GiB, tail: "tail" },
      ]);
      for (const file of ["edge", "huge"]) {
        const single = tempDir();
        fs.linkSync(path.join(root, file), path.join(single, file));
        const items = await rightsOf(single);
        const ourHeaders = Buffer.concat(items.map((item) => encodeTarHeader(item.entry)));
        expect(await gnuTarHead(single, canonical, ourHeaders.length)).toEqual(ourHeaders);
      }
    });

    it.runIf(huge)("matches GNU tar byte for byte for a 9 GiB sparse file", async () => {
      await expectSameSparse(9 * GiB);
    }, HUGE_TIMEOUT);
  });
});
