import * as fs from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { TarOptions } from "../src/index.ts";
import { canonicalTarOptions } from "../src/index.ts";
import { bytes, differenceOf, fastTempBase, gnuTar, join, makeTree, ourTar, parseArchive, removeTempDirs, tempDir, withUmask } from "./fixtures/tar/harness.ts";
import { extract, specOf, treeArb } from "./fixtures/tar/treeArbitrary.ts";
import { capabilityV2, requireRoot, setXattr } from "./fixtures/tar/xattrs.ts";

afterAll(removeTempDirs);

const word = fc.integer({ min: 0, max: 0xffffffff });
const capability = fc
  .record({ permitted: fc.tuple(word, word), inheritable: fc.tuple(word, word), effective: fc.boolean() })
  .map(({ permitted, inheritable, effective }) => capabilityV2(permitted, inheritable, effective));

// Which paths get a capability: an index into the tree's nodes (one past the end is the root).
const capsArb = fc.array(fc.tuple(fc.nat(), capability), { maxLength: 5 });

const options: TarOptions = { ...canonicalTarOptions(1_234_567_890), format: "pax" };

describe.runIf(requireRoot("setting security.capability"))("layer tar, pax format (property)", () => {
  it("matches GNU tar byte for byte for random trees with capabilities on random files, folders and symlinks, and GNU tar extracts it to the same tree", async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, capsArb, async (tree, caps) => {
        const root = tempDir("pax-prop", fastTempBase());
        const { nodes, dirModes } = specOf(tree);
        withUmask(tree.umask, () => makeTree(root, nodes));
        for (const [which, value] of caps) {
          const node = nodes[which % (nodes.length + 1)];
          setXattr(node === undefined ? root : join(root, bytes(node.path)), "security.capability", value);
        }
        for (const [p, mode] of dirModes) fs.chmodSync(join(root, p), mode);
        try {
          const theirs = await gnuTar(root, options);
          expect(theirs.status, theirs.stderr).toBe(0);
          const ours = await ourTar(root, options);
          expect(differenceOf(ours, theirs)).toBeUndefined();
          if (caps.length > 0) expect(parseArchive(ours.head).some((h) => h.pax.some(([k]) => k === "SCHILY.xattr.security.capability"))).toBe(true);

          const copy = tempDir("pax-extracted", fastTempBase());
          expect(await extract(ours.head, copy, ["--xattrs", "--xattrs-include=security.capability"])).toBe(0);
          expect(differenceOf(await ourTar(copy, options), ours)).toBeUndefined();
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 50 },
    );
  });
});
