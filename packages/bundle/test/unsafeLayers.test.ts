// A layer can only write inside the rootfs: a ".." name is refused (as GNU tar refuses it), a
// symlink an earlier entry made is followed inside the rootfs, never out of it, and a hard link
// must name an earlier path. A refused layer exits 1 naming the layer and the entry, and leaves
// no bundle.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import type { HandEntry } from "./support/handLayout.ts";
import { writeHandLayout } from "./support/handLayout.ts";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("bundle-unsafe");
});
afterAll(() => removeTempDir(work));

const exists = (file: string): Promise<boolean> => fs.lstat(file).then(() => true, () => false);

// A layout of these layers, bundled with the CLI as a user would.
const bundleOf = async (name: string, layers: readonly (readonly HandEntry[])[]) => {
  const layout = path.join(work, `${name}-layout`);
  const digests = await writeHandLayout(layout, layers);
  const out = path.join(work, `${name}-bundle`);
  const result = await runCli(["bundle", "--from-layout", `${layout}:latest`, "--out", out]);
  return { result, out, digests };
};

describe("entries that would leave the rootfs", () => {
  test('a ".." name is refused, naming the layer and the entry; nothing is written', async () => {
    const { result, out, digests } = await bundleOf("dotdot", [[{ name: "etc/", type: "directory" }, { name: "etc/../../escaped", content: "out\n" }]]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`layer ${digests[0]}: "etc/../../escaped": has a ".." component: it would be written outside the root filesystem\n`);
    expect(await exists(out)).toBe(false);
    expect(await exists(path.join(work, "escaped"))).toBe(false);
    expect((await fs.readdir(work)).filter((n) => n.includes("ocistage-tmp"))).toEqual([]);
  });

  test("a file under a symlink to an absolute path outside lands inside the rootfs", async () => {
    const outside = path.join(work, "host-folder");
    const { result, out } = await bundleOf("symlink", [
      [{ name: "etc", type: "symlink", linkname: outside }],
      [{ name: "etc/passwd", content: "root:x:0:0::/:/bin/sh\n" }, { name: "up", type: "symlink", linkname: "../../../../.." }, { name: "up/through-dotdot", content: "inside\n" }],
    ]);
    expect(result.stderr).toBe("");
    expect(await exists(outside)).toBe(false);
    expect(await fs.readFile(path.join(out, "rootfs", outside, "passwd"), "utf8")).toBe("root:x:0:0::/:/bin/sh\n");
    expect(await fs.readFile(path.join(out, "rootfs", "through-dotdot"), "utf8")).toBe("inside\n");
  });

  test("a hard link to a path no earlier entry made is refused", async () => {
    const { result, out, digests } = await bundleOf("hardlink", [[{ name: "a", type: "link", linkname: "missing" }]]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`layer ${digests[0]}: "a": is a hard link to "missing", which no earlier entry made\n`);
    expect(await exists(out)).toBe(false);
  });

  test("a hard link to a file of a lower layer shares its inode", async () => {
    const { result, out } = await bundleOf("hardlink-lower", [[{ name: "bin/", type: "directory" }, { name: "bin/real", content: "x\n", mode: 0o755 }], [{ name: "bin/alias", type: "link", linkname: "bin/real" }]]);
    expect(result.code).toBe(0);
    const [real, alias] = await Promise.all([fs.stat(path.join(out, "rootfs/bin/real")), fs.stat(path.join(out, "rootfs/bin/alias"))]);
    expect(alias.ino).toBe(real.ino);
  });
});

describe("what the tar says", () => {
  test("modes, owners (as root), mtimes, symlinks and device nodes are as in the tar", async () => {
    const root = process.getuid?.() === 0;
    const { result, out } = await bundleOf("metadata", [
      [
        { name: "srv/", type: "directory", mode: 0o750, uid: 1000, gid: 1001, mtime: 1_000_000 },
        { name: "srv/run.sh", content: "#!/bin/sh\n", mode: 0o4755, uid: 1000, gid: 1001, mtime: 2_000_000 },
        { name: "srv/link", type: "symlink", linkname: "run.sh", mtime: 3_000_000 },
        { name: "dev/", type: "directory" },
        { name: "dev/null", type: "character-device", devmajor: 1, devminor: 3, mode: 0o666 },
      ],
    ]);
    expect(result.stderr).toBe("");
    const rootfs = path.join(out, "rootfs");
    const [dir, file, link] = await Promise.all([fs.stat(path.join(rootfs, "srv")), fs.stat(path.join(rootfs, "srv/run.sh")), fs.lstat(path.join(rootfs, "srv/link"))]);
    expect({ mode: dir.mode & 0o7777, mtime: dir.mtimeMs / 1000 }).toEqual({ mode: 0o750, mtime: 1_000_000 });
    expect({ mode: file.mode & 0o7777, mtime: file.mtimeMs / 1000 }).toEqual({ mode: 0o4755, mtime: 2_000_000 });
    expect({ target: await fs.readlink(path.join(rootfs, "srv/link")), mtime: link.mtimeMs / 1000 }).toEqual({ target: "run.sh", mtime: 3_000_000 });
    if (root) {
      expect({ uid: file.uid, gid: file.gid }).toEqual({ uid: 1000, gid: 1001 });
      const device = await fs.stat(path.join(rootfs, "dev/null"));
      expect({ char: device.isCharacterDevice(), rdev: device.rdev }).toEqual({ char: true, rdev: 259 });
    }
  });
});
