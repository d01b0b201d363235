import * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import type { BigIntStats } from "node:fs";
import * as path from "node:path";
import type { Owner, RootfsEntry, StepOf } from "@ocistage/program";
import { DEFAULT_DIR_MODE } from "@ocistage/program";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";
import type { LayerTree, TreeNode } from "./LayerTree.ts";
import { compareTreeOrder, displayKey, joinKey, keyOfUtf8, parentKey } from "./LayerTree.ts";
import { SYMLINK_MODE, normaliseMode } from "./normaliseMode.ts";

type Assemble = StepOf<"AssembleRootfs">;

const kindOf = (stat: BigIntStats): string =>
  stat.isFIFO() ? "FIFO" : stat.isSocket() ? "socket" : stat.isCharacterDevice() ? "character device" : stat.isBlockDevice() ? "block device" : "special file";

// Builds a layer's tree from its entries. Folders a destination implies get mode 0755 and the
// layer's owner; the root is always a folder. Two entries may not claim one path, and nothing
// may sit below a symlink: extracting such a tar would write through the link.
export const assembleTree = (step: Assemble, sourceRoot: string): TE.TaskEither<BuildError, LayerTree> => async () => {
  const tree = new Map<string, TreeNode>();
  const at = (entry: RootfsEntry): string => `${step.name} /${entry.destination}`;
  const rootNode = (owner: Owner): TreeNode => ({ key: "", data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: owner.uid, gid: owner.gid, origin: step.name });
  tree.set("", rootNode(step.owner));
  // Folders nobody asked for by name (the root, parents of destinations): an explicit folder
  // entry may restate one with its own mode and owner; any other clash is an error.
  const implied = new Set<string>([""]);

  const ensureParents = (key: string, origin: string): BuildError | undefined => {
    const missing: string[] = [];
    for (let p = parentKey(key); p !== ""; p = parentKey(p)) {
      const existing = tree.get(p);
      if (existing === undefined) missing.push(p);
      else if (existing.data._tag !== "Directory")
        return { _tag: "DestinationConflict", at: origin, destination: displayKey(key), reason: `its parent /${displayKey(p)} is not a folder (made by ${existing.origin})` };
      else break;
    }
    for (const p of missing) {
      tree.set(p, { key: p, data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: step.owner.uid, gid: step.owner.gid, origin });
      implied.add(p);
    }
    return undefined;
  };

  const place = (node: TreeNode): BuildError | undefined => {
    const existing = tree.get(node.key);
    if (existing !== undefined && !(implied.has(node.key) && node.data._tag === "Directory"))
      return { _tag: "DestinationConflict", at: node.origin, destination: displayKey(node.key), reason: `already given by ${existing.origin}` };
    implied.delete(node.key);
    const parentError = node.key === "" ? undefined : ensureParents(node.key, node.origin);
    if (parentError !== undefined) return parentError;
    tree.set(node.key, node);
    return undefined;
  };

  const copyTree = async (entry: Extract<RootfsEntry, { _tag: "Copy" }>): Promise<BuildError | undefined> => {
    const origin = at(entry);
    const top = path.resolve(sourceRoot, entry.source);
    let stat: BigIntStats;
    try {
      stat = await fs.lstat(top, { bigint: true });
    } catch (e) {
      return { _tag: "SourceMissing", at: origin, path: entry.source, reason: reasonOf(e) };
    }
    const { uid, gid } = entry.owner;
    const links = new Map<string, string[]>(); // inode → keys, to turn repeats into hard links
    const stack: { readonly fsPath: Buffer; readonly key: string; readonly stat: BigIntStats; readonly top: boolean }[] = [
      { fsPath: Buffer.from(top), key: keyOfUtf8(entry.destination), stat, top: true },
    ];
    while (stack.length > 0) {
      const item = stack.pop();
      if (item === undefined) break;
      const s = item.stat;
      const mode = item.top && entry.mode !== undefined ? entry.mode : normaliseMode(Number(s.mode));
      const shown = item.fsPath.toString("utf8");
      if (s.isDirectory()) {
        // A folder copied to "/" fills the root but does not change it: the root's mode and owner
        // come from the step (or an explicit `{ directory: "/" }` entry).
        const error = item.key === "" ? undefined : place({ key: item.key, data: { _tag: "Directory" }, mode, uid, gid, origin });
        if (error !== undefined) return error;
        let names: Buffer[];
        try {
          names = await fs.readdir(item.fsPath, { encoding: "buffer" });
        } catch (e) {
          return { _tag: "SourceMissing", at: origin, path: shown, reason: reasonOf(e) };
        }
        for (const name of names) {
          const child = Buffer.concat([item.fsPath, Buffer.from("/"), name]);
          let childStat: BigIntStats;
          try {
            childStat = await fs.lstat(child, { bigint: true });
          } catch (e) {
            return { _tag: "SourceMissing", at: origin, path: child.toString("utf8"), reason: reasonOf(e) };
          }
          stack.push({ fsPath: child, key: joinKey(item.key, name.toString("latin1")), stat: childStat, top: false });
        }
      } else if (s.isFile()) {
        if (item.key === "") return { _tag: "DestinationConflict", at: origin, destination: "", reason: "the image root must be a folder, but the source is a file" };
        const identity = `${s.dev}:${s.ino}`;
        if (s.nlink > 1n) links.set(identity, [...(links.get(identity) ?? []), item.key]);
        const error = place({
          key: item.key,
          data: { _tag: "File", from: { _tag: "Disk", path: item.fsPath, identity: { dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs } } },
          mode,
          uid,
          gid,
          origin,
        });
        if (error !== undefined) return error;
      } else if (s.isSymbolicLink()) {
        let target: Buffer;
        try {
          target = await fs.readlink(item.fsPath, { encoding: "buffer" });
        } catch (e) {
          return { _tag: "SourceMissing", at: origin, path: shown, reason: reasonOf(e) };
        }
        const error = place({ key: item.key, data: { _tag: "Symlink", target }, mode: SYMLINK_MODE, uid, gid, origin });
        if (error !== undefined) return error;
      } else {
        return { _tag: "SourceUnsupported", at: origin, path: shown, kind: kindOf(s) };
      }
    }
    // The first path of an inode in tar order carries the data; the others link to it, as GNU tar does.
    for (const keys of links.values()) {
      if (keys.length < 2) continue;
      const [first, ...rest] = [...keys].sort(compareTreeOrder);
      for (const key of rest) {
        const node = tree.get(key);
        if (node !== undefined && first !== undefined) tree.set(key, { ...node, data: { _tag: "HardLink", target: first } });
      }
    }
    return undefined;
  };

  for (const entry of step.entries) {
    const origin = at(entry);
    const key = keyOfUtf8(entry.destination);
    let error: BuildError | undefined;
    switch (entry._tag) {
      case "Copy":
        error = await copyTree(entry);
        break;
      case "Symlink":
        error = place({ key, data: { _tag: "Symlink", target: Buffer.from(entry.target, "utf8") }, mode: SYMLINK_MODE, uid: entry.owner.uid, gid: entry.owner.gid, origin });
        break;
      case "Content":
        error = place({ key, data: { _tag: "File", from: { _tag: "Inline", bytes: Buffer.from(entry.content, "utf8") } }, mode: entry.mode, uid: entry.owner.uid, gid: entry.owner.gid, origin });
        break;
      case "Directory":
        error = place({ key, data: { _tag: "Directory" }, mode: entry.mode, uid: entry.owner.uid, gid: entry.owner.gid, origin });
        break;
    }
    if (error !== undefined) return { _tag: "Left", left: error };
  }
  return { _tag: "Right", right: tree };
};

export const orderedNodes = (tree: LayerTree): readonly TreeNode[] => [...tree.values()].sort((a, b) => compareTreeOrder(a.key, b.key));
