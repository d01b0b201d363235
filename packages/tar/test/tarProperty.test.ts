import * as fs from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalTarOptions } from "../src/index.ts";
import { differenceOf, fastTempBase, gnuTar, join, makeTree, ourTar, removeTempDirs, tempDir, withUmask } from "./fixtures/tar/harness.ts";
import { extract, specOf, treeArb } from "./fixtures/tar/treeArbitrary.ts";

afterAll(removeTempDirs);

describe("layer tar (property)", () => {
  it("matches GNU tar byte for byte for random trees, and GNU tar extracts it to the same tree", async () => {
    const options = canonicalTarOptions(1_234_567_890, { uid: 0, gid: 0 });
    await fc.assert(
      fc.asyncProperty(treeArb, async (tree) => {
        const root = tempDir("prop", fastTempBase());
        const { nodes, dirModes } = specOf(tree);
        withUmask(tree.umask, () => makeTree(root, nodes));
        for (const [p, mode] of dirModes) fs.chmodSync(join(root, p), mode);
        try {
          const theirs = await gnuTar(root, options);
          expect(theirs.status, theirs.stderr).toBe(0);
          const ours = await ourTar(root, options);
          expect(differenceOf(ours, theirs)).toBeUndefined();

          const copy = tempDir("extracted", fastTempBase());
          expect(await extract(ours.head, copy)).toBe(0);
          expect(differenceOf(await ourTar(copy, options), ours)).toBeUndefined();
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 50 },
    );
  });
});
