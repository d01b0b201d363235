import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBoth, layoutDifferences } from "./fixtures/shell/buildBoth.ts";
import { hostileSpec, writeHostileTree } from "./fixtures/shell/hostileTree.ts";
import { makeTempDir, programOfValue } from "./fixtures/shell/programs.ts";
import { requireTools } from "./fixtures/shell/requireTools.ts";

const isRoot = process.getuid?.() === 0;

describe.runIf(requireTools("dash", "bash"))("the emitted script on a tree of hostile names and modes", () => {
  let work = "";
  let sources = "";
  beforeAll(async () => {
    work = await makeTempDir("shell-hostile");
    sources = path.join(work, "spec folder with 'quotes' and $dollar");
    await writeHostileTree(sources, isRoot);
  });
  afterAll(async () => {
    await fs.chmod(path.join(sources, "tree", "read-only-dir"), 0o755).catch(() => undefined);
    await fs.rm(work, { recursive: true, force: true });
  });

  for (const shell of ["dash", "bash"]) {
    it(`run with ${shell}, writes the layout ocistage build writes, byte for byte`, async () => {
      const program = programOfValue(hostileSpec(sources, isRoot), 1700000000);
      const dir = path.join(work, shell);
      await fs.mkdir(dir);
      // An output folder whose name ends in a newline, with quotes and a dollar in it.
      const both = await buildBoth(program, sources, dir, shell, "out 'x' $y\n");
      expect(layoutDifferences(both.built, both.scripted)).toEqual([]);
      // three layers, a config and a manifest
      expect([...both.scripted.keys()].filter((f) => f.startsWith("blobs/"))).toHaveLength(5);
    });
  }
});
