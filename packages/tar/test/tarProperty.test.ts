import { spawn } from "node:child_process";
import * as fs from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalTarOptions } from "../src/index.ts";
import type { TreeSpec } from "./fixtures/tar/harness.ts";
import { differenceOf, fastTempBase, GNU_TAR, gnuTar, isRoot, join, makeTree, ourTar, removeTempDirs, tempDir, withUmask } from "./fixtures/tar/harness.ts";

afterAll(removeTempDirs);

// Random small trees with hostile names: any bytes but NUL and "/", sometimes over 100 bytes.
const nameBytes = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 95, maxLength: 130 }) },
  { weight: 2, arbitrary: fc.constantFrom(...["a", "a-b", "a.b", "-rf", " ", "$x", "`", "\\", "\n", "'\"", "é"].map((s) => Buffer.from(s))) },
);
const name = nameBytes
  .map((bytes) => Buffer.from(bytes.map((x) => (x === 0 || x === 0x2f ? 0x5f : x))))
  .filter((n) => n.toString("latin1") !== "." && n.toString("latin1") !== "..");

// Without root, files must stay readable and directories traversable by their owner.
const fileMode = fc.option(isRoot ? fc.integer({ min: 0, max: 0o7777 }) : fc.integer({ min: 0, max: 0o7777 }).map((m) => m | 0o400), { nil: undefined });
const dirMode = fc.option(fc.integer({ min: 0, max: 0o7777 }).map((m) => m | 0o700), { nil: undefined });

type Node =
  | { readonly kind: "file"; readonly content: Uint8Array; readonly mode: number | undefined }
  | { readonly kind: "symlink"; readonly target: Uint8Array }
  | { readonly kind: "dir"; readonly mode: number | undefined; readonly children: readonly (readonly [Buffer, Node])[] };

const { children } = fc.letrec<{ children: (readonly [Buffer, Node])[]; node: Node }>((tie) => ({
  children: fc.uniqueArray(fc.tuple(name, tie("node")), { selector: ([n]) => n.toString("hex"), minLength: 1, maxLength: 8 }),
  node: fc.oneof(
    { depthSize: "medium", withCrossShrink: true },
    fc.record({ kind: fc.constant("file" as const), content: fc.uint8Array({ maxLength: 1500 }), mode: fileMode }),
    fc.record({
      kind: fc.constant("symlink" as const),
      target: fc.uint8Array({ minLength: 1, maxLength: 140 }).map((t) => t.map((x) => (x === 0 ? 0x2e : x))),
    }),
    fc.record({ kind: fc.constant("dir" as const), mode: dirMode, children: tie("children") }),
  ),
}));

const treeArb = fc.record({
  children,
  // Hard links: [which file (modulo the number of files), the new name at the top level].
  links: fc.array(fc.tuple(fc.nat(), name), { maxLength: 4 }),
  umask: fc.constantFrom(0o022, 0o077, 0o002, 0o027),
});

type Tree = typeof treeArb extends fc.Arbitrary<infer T> ? T : never;

// Flattens the tree into creation order; directory modes are applied last (deepest first), so
// a read-only directory still gets its children.
const specOf = (tree: Tree): { readonly nodes: TreeSpec[]; readonly dirModes: (readonly [Buffer, number])[] } => {
  const nodes: TreeSpec[] = [];
  const dirModes: (readonly [Buffer, number])[] = [];
  const files: Buffer[] = [];
  const taken = new Set<string>();
  const visit = (prefix: Buffer | undefined, entries: readonly (readonly [Buffer, Node])[]): void => {
    for (const [n, node] of entries) {
      const p = prefix === undefined ? n : Buffer.concat([prefix, Buffer.from("/"), n]);
      if (prefix === undefined) taken.add(n.toString("hex"));
      switch (node.kind) {
        case "file":
          nodes.push({ kind: "file", path: p, content: Buffer.from(node.content), ...(node.mode === undefined ? {} : { mode: node.mode }) });
          files.push(p);
          break;
        case "symlink":
          nodes.push({ kind: "symlink", path: p, target: Buffer.from(node.target) });
          break;
        case "dir":
          nodes.push({ kind: "dir", path: p });
          visit(p, node.children);
          if (node.mode !== undefined) dirModes.unshift([p, node.mode]);
          break;
      }
    }
  };
  visit(undefined, tree.children);
  for (const [which, n] of tree.links) {
    if (files.length === 0 || taken.has(n.toString("hex"))) continue;
    taken.add(n.toString("hex"));
    nodes.push({ kind: "hardlink", path: n, target: files[which % files.length] as Buffer });
  }
  return { nodes, dirModes };
};

const extract = (archive: Buffer, into: string): Promise<number | null> =>
  new Promise((resolve, reject) => {
    // Owners can only be restored by root; the archive says root anyway.
    const owner = isRoot ? ["--numeric-owner", "--same-owner"] : ["--no-same-owner"];
    const child = spawn(GNU_TAR, ["-x", ...owner, "--same-permissions", "-f", "-", "-C", into], { stdio: ["pipe", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("close", resolve);
    child.stdin.end(archive);
  });

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
