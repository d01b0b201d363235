import * as TE from "fp-ts/lib/TaskEither.js";
import { constants, promises as fs } from "node:fs";
import { reasonOf } from "../BuildError.ts";
import type { LayerTree, TreeNode } from "../LayerTree.ts";
import { bytesOfKey, displayKey, parentKey } from "../LayerTree.ts";
import { orderedNodes } from "../assembleTree.ts";
import type { DockerContextError } from "./DockerContextError.ts";

const SLASH = Buffer.from("/");

// Why a tree key cannot name a place inside the folder, or undefined when it can.
const keyProblem = (key: string, tree: LayerTree): string | undefined => {
  if (key === "") return undefined;
  if (key.split("/").some((part) => part === "" || part === "." || part === ".." || part.includes("\u0000"))) return "is not a plain relative path";
  return tree.get(parentKey(key))?.data._tag === "Directory" ? undefined : "does not lie in a folder of the layer";
};

const create = async (node: TreeNode, place: (key: string) => Buffer, at: string): Promise<DockerContextError | undefined> => {
  const target = place(node.key);
  switch (node.data._tag) {
    case "Directory":
      await fs.mkdir(target);
      return undefined;
    case "Symlink":
      await fs.symlink(node.data.target, target);
      return undefined;
    case "HardLink":
      await fs.link(place(node.data.target), target);
      return undefined;
    case "File": {
      const from = node.data.from;
      if (from._tag === "Inline") {
        await fs.writeFile(target, from.bytes, { flag: "wx" });
        return undefined;
      }
      await fs.copyFile(from.path, target, constants.COPYFILE_EXCL);
      const size = (await fs.lstat(target, { bigint: true })).size;
      return size === from.identity.size
        ? undefined
        : { _tag: "Build", error: { _tag: "SourceChanged", at, path: from.path.toString("utf8"), reason: `its size went from ${from.identity.size} to ${size} bytes` } };
    }
  }
};

// Writes a layer's tree into `dir`, which must not exist yet: folders, files (copied from their
// source, or written from inline text), symlinks and hard links; then, children before parents,
// each node's mode (the tree's: COPY keeps it) and mtime. Nothing is written through a link:
// every node's parent is a folder of the tree, files are created exclusively, links are never
// followed. Owners are left alone: COPY ignores them. Returns the number of nodes.
export const materialiseTree = (tree: LayerTree, dir: string, mtime: number, at: string): TE.TaskEither<DockerContextError, number> => async () => {
  const place = (key: string): Buffer => (key === "" ? Buffer.from(dir) : Buffer.concat([Buffer.from(dir), SLASH, bytesOfKey(key)]));
  const nodes = orderedNodes(tree);
  let current = dir;
  try {
    for (const node of nodes) {
      current = place(node.key).toString("utf8");
      const problem = keyProblem(node.key, tree);
      if (problem !== undefined) return { _tag: "Left", left: { _tag: "Io", path: `${at} /${displayKey(node.key)}`, reason: `${problem}; refusing to write it` } };
      const error = await create(node, place, at);
      if (error !== undefined) return { _tag: "Left", left: error };
    }
    for (const node of [...nodes].reverse()) {
      current = place(node.key).toString("utf8");
      // A hard link shares its inode, and so its mode, with the path it links to.
      if (node.data._tag !== "Symlink" && node.data._tag !== "HardLink") await fs.chmod(place(node.key), node.mode);
      await fs.lutimes(place(node.key), mtime, mtime);
    }
    return { _tag: "Right", right: nodes.length };
  } catch (e) {
    return { _tag: "Left", left: { _tag: "Io", path: current, reason: reasonOf(e) } };
  }
};
