import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, describe, expect, it } from "vitest";
import type { TarError, TarItem } from "../src/index.ts";
import { canonicalTarOptions, describeTarError, walkTree, writeTar } from "../src/index.ts";
import { Capture, isRoot, makeTree, removeTempDirs, tempDir } from "./fixtures/tar/harness.ts";

afterAll(removeTempDirs);

const canonical = canonicalTarOptions(0);

const walk = async (root: string, options = canonical): Promise<E.Either<TarError, TarItem>[]> => {
  const out: E.Either<TarError, TarItem>[] = [];
  for await (const item of walkTree(root, options)) out.push(item);
  return out;
};

const errorsOf = (items: readonly E.Either<TarError, TarItem>[]): TarError[] => items.flatMap((i) => (E.isLeft(i) ? [i.left] : []));
const pathsOf = (items: readonly E.Either<TarError, TarItem>[]): string[] => items.flatMap((i) => (E.isRight(i) ? [Buffer.from(i.right.entry.path).toString()] : []));

const makeSocket = async (at: string): Promise<net.Server> => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(at, resolve));
  return server;
};

describe("walking a tree for a layer", () => {
  it("yields the root first, then each directory before its contents, children in byte order", async () => {
    const root = tempDir();
    makeTree(root, [
      { kind: "file", path: "b/2", content: "" },
      { kind: "file", path: "b/1", content: "" },
      { kind: "file", path: "a-b", content: "" },
      { kind: "file", path: "a/x", content: "" },
      { kind: "file", path: "B", content: "" },
    ]);
    expect(pathsOf(await walk(root))).toEqual(["", "B", "a", "a/x", "a-b", "b", "b/1", "b/2"]);
  });

  it("reports a socket as an error value naming it, and goes on walking", async () => {
    const root = tempDir();
    makeTree(root, [
      { kind: "file", path: "a", content: "" },
      { kind: "file", path: "z", content: "" },
    ]);
    const server = await makeSocket(path.join(root, "m.sock"));
    try {
      const items = await walk(root);
      expect(errorsOf(items)).toEqual([{ _tag: "UnsupportedFileType", path: Buffer.from("m.sock"), kind: "socket" }]);
      expect(pathsOf(items)).toEqual(["", "a", "z"]);
      expect(describeTarError(errorsOf(items)[0] as TarError)).toBe(
        "m.sock: is a socket; only files, directories, symlinks and hard links go into a layer",
      );
    } finally {
      server.close();
    }
  });

  it("reports a FIFO as an error value (GNU tar would archive it), and writeTar stops there", async () => {
    const root = tempDir();
    expect(spawnSync("mkfifo", [path.join(root, "pipe")]).status).toBe(0);
    expect(errorsOf(await walk(root))).toEqual([{ _tag: "UnsupportedFileType", path: Buffer.from("pipe"), kind: "FIFO" }]);
    const capture = new Capture();
    const result = await writeTar(walkTree(root, canonical), capture)();
    expect(result).toEqual(E.left({ _tag: "UnsupportedFileType", path: Buffer.from("pipe"), kind: "FIFO" }));
    expect(capture.destroyed).toBe(true);
  });

  it.runIf(isRoot)("reports a device as an error value", async () => {
    const root = tempDir();
    expect(spawnSync("mknod", [path.join(root, "null"), "c", "1", "3"]).status).toBe(0);
    expect(errorsOf(await walk(root))).toEqual([{ _tag: "UnsupportedFileType", path: Buffer.from("null"), kind: "character device" }]);
  });

  it.skipIf(isRoot)("reports an unreadable directory as an error value naming it (root reads every directory)", async () => {
    const root = tempDir();
    makeTree(root, [{ kind: "dir", path: "locked/inner" }]);
    fs.chmodSync(path.join(root, "locked"), 0o000);
    try {
      const errors = errorsOf(await walk(root));
      expect(errors).toMatchObject([{ _tag: "Unreadable", path: Buffer.from("locked"), operation: "read directory" }]);
    } finally {
      fs.chmodSync(path.join(root, "locked"), 0o755);
    }
  });

  it("reports a directory that vanishes during the walk as an error value naming it", async () => {
    const root = tempDir();
    makeTree(root, [
      { kind: "file", path: "a", content: "" },
      { kind: "file", path: "b/inner", content: "" },
    ]);
    const items: E.Either<TarError, TarItem>[] = [];
    for await (const item of walkTree(root, canonical)) {
      items.push(item);
      if (E.isRight(item) && Buffer.from(item.right.entry.path).toString() === "a") fs.rmSync(path.join(root, "b"), { recursive: true });
    }
    expect(errorsOf(items)).toMatchObject([{ _tag: "Unreadable", path: Buffer.from("b") }]);
  });

  it("names a file that is not UTF-8 unambiguously in messages", async () => {
    const root = tempDir();
    const server = await makeSocket(path.join(root, "s"));
    try {
      fs.renameSync(path.join(root, "s"), Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0xff, 0x0a, 0x41])]));
      const [error] = errorsOf(await walk(root));
      expect(describeTarError(error as TarError)).toBe("\\xff\\x0aA: is a socket; only files, directories, symlinks and hard links go into a layer");
    } finally {
      server.close();
    }
  });

  it("reports a missing root, and a root that is a file", async () => {
    const root = tempDir();
    makeTree(root, [{ kind: "file", path: "f", content: "" }]);
    expect(errorsOf(await walk(path.join(root, "missing")))).toMatchObject([{ _tag: "Unreadable", operation: "stat" }]);
    expect(errorsOf(await walk(path.join(root, "f")))).toMatchObject([{ _tag: "NotADirectory" }]);
  });

  it("follows a root that is a symlink, as tar -C does, but no symlink below it", async () => {
    const real = tempDir();
    makeTree(real, [
      { kind: "dir", path: "d" },
      { kind: "symlink", path: "link-to-d", target: "d" },
    ]);
    const outside = tempDir();
    fs.symlinkSync(real, path.join(outside, "root"));
    const items = await walk(path.join(outside, "root"));
    expect(items.map((i) => (E.isRight(i) ? i.right.entry._tag : "error"))).toEqual(["Directory", "Directory", "Symlink"]);
  });

  it("rejects owners GNU tar cannot set: 4294967295 means 'not given' to it", async () => {
    const root = tempDir();
    expect(errorsOf(await walk(root, canonicalTarOptions(0, { uid: 4_294_967_295, gid: 0 })))).toMatchObject([{ _tag: "InvalidOptions" }]);
    expect(errorsOf(await walk(root, canonicalTarOptions(0.5)))).toMatchObject([{ _tag: "InvalidOptions" }]);
  });
});
