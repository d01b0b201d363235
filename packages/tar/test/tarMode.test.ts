import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalTarOptions, normaliseTarMode, SYMLINK_TAR_MODE } from "../src/index.ts";
import { differenceOf, fastTempBase, gnuTar, isRoot, makeTree, ourTar, parseArchive, removeTempDirs, tempDir } from "./fixtures/tar/harness.ts";

afterAll(removeTempDirs);

const canonical = canonicalTarOptions(0);
const octal = (mode: number): string => mode.toString(8).padStart(4, "0");

// Without root, GNU tar (like us) cannot read files without owner read permission or
// directories without owner r-x.
const ALL_MODES = Array.from({ length: 0o10000 }, (_, m) => m);
const fileModes = isRoot ? ALL_MODES : ALL_MODES.filter((m) => (m & 0o400) !== 0);
const dirModes = isRoot ? ALL_MODES : ALL_MODES.filter((m) => (m & 0o500) === 0o500);

describe("mode normalisation (--mode='go=u,go-w')", () => {
  it("records every permission combination of files and directories exactly as GNU tar does", async () => {
    const root = tempDir("modes", fastTempBase());
    makeTree(root, [
      ...fileModes.map((m) => ({ kind: "file" as const, path: `f${octal(m)}`, content: "x", mode: m })),
      ...dirModes.map((m) => ({ kind: "dir" as const, path: `d${octal(m)}` })),
    ]);
    // Directory modes last: a directory without owner write cannot take new entries.
    for (const m of dirModes) fs.chmodSync(path.join(root, `d${octal(m)}`), m);
    try {
      const theirs = await gnuTar(root, canonical);
      expect(theirs.status, theirs.stderr).toBe(0);
      const recorded = new Map(parseArchive(theirs.head).map((h) => [h.name.toString(), h.mode]));
      const field = (mode: number): string => `${mode.toString(8).padStart(7, "0")}\0`;
      const mismatches = [
        ...fileModes.filter((m) => recorded.get(`./f${octal(m)}`) !== field(normaliseTarMode(m, false))).map((m) => `file ${octal(m)}`),
        ...dirModes.filter((m) => recorded.get(`./d${octal(m)}/`) !== field(normaliseTarMode(m, true))).map((m) => `dir ${octal(m)}`),
      ];
      expect(mismatches).toEqual([]);
      expect(differenceOf(await ourTar(root, canonical), theirs)).toBeUndefined();
    } finally {
      for (const m of dirModes) fs.chmodSync(path.join(root, `d${octal(m)}`), 0o755);
    }
  });

  it("keeps setuid, keeps setgid on directories only, and drops sticky", () => {
    expect(octal(normaliseTarMode(0o4750, false))).toBe("4755");
    expect(octal(normaliseTarMode(0o2755, false))).toBe("0755");
    expect(octal(normaliseTarMode(0o2750, true))).toBe("2755");
    expect(octal(normaliseTarMode(0o1777, true))).toBe("0755");
    expect(octal(normaliseTarMode(0o1644, false))).toBe("0644");
  });

  it("derives group and other from the owner bits, without write", () => {
    expect(octal(normaliseTarMode(0o600, false))).toBe("0644");
    expect(octal(normaliseTarMode(0o700, true))).toBe("0755");
    expect(octal(normaliseTarMode(0o400, false))).toBe("0444");
    expect(octal(normaliseTarMode(0o077, false))).toBe("0000");
    expect(octal(normaliseTarMode(0o100, false))).toBe("0111");
  });

  it("records symlinks as 0755 (lstat says 0777)", async () => {
    expect(octal(SYMLINK_TAR_MODE)).toBe("0755");
    const root = tempDir();
    makeTree(root, [{ kind: "symlink", path: "s", target: "t" }]);
    const theirs = await gnuTar(root, canonical);
    expect(parseArchive(theirs.head).find((h) => h.name.toString() === "./s")?.mode).toBe("0000755\0");
  });
});
