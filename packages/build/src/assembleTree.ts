import * as TE from "fp-ts/lib/TaskEither.js";
import { lstatSync, readdirSync, readlinkSync, statSync } from "node:fs";
import type { BigIntStats } from "node:fs";
import * as path from "node:path";
import type { RootfsEntry, StepOf } from "@ocistage/program";
import { DEFAULT_DIR_MODE, WHITEOUT_MODE, opaquePath, whiteoutPath } from "@ocistage/program";
import type { BuildError } from "./BuildError.ts";
import type { LayerTree, TreeNode } from "./LayerTree.ts";
import { compareTreeOrder, displayKey, joinKey, keyOfUtf8, parentKey } from "./LayerTree.ts";
import { SYMLINK_MODE, normaliseMode } from "./normaliseMode.ts";
import { copiedXattrs, hardLinkTo } from "./copiedXattrs.ts";
import { type Excluded, excludeMatcher } from "./excludeMatcher.ts";
import { showPath } from "@ocistage/tar";

type Assemble = StepOf<"AssembleRootfs">;
type CopyEntry = Extract<RootfsEntry, { _tag: "Copy" }>;

const SLASH = Buffer.from("/");
const WHITEOUT_PREFIX = ".wh."; // OCI image-spec layer.md, "Whiteouts"

const kindOf = (stat: BigIntStats): string =>
  stat.isFIFO() ? "FIFO" : stat.isSocket() ? "socket" : stat.isCharacterDevice() ? "character device" : stat.isBlockDevice() ? "block device" : "special file";

const codeOf = (e: unknown): string | undefined => (e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined);

// "ENOENT: no such file or directory", without node's ", lstat '/abs/path'" tail: the message
// names the file the way the spec does.
const errnoReason = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  const first = (e.message.split("\n")[0] ?? "").replace(/, [a-z]+ '.*'$/, "");
  const code = codeOf(e);
  return code === undefined || first.startsWith(`${code}:`) ? first : `${code}: ${first}`;
};

// How messages name a spec entry: where the spec gave it (`layers[0].files[2]`), without the
// field that says its kind; a copied file is named by its path and the entry that copied it.
const entryPath = (entry: RootfsEntry): string => entry.at.replace(/\.(source|symlink|content|directory|whiteout|json|script)$/, "");
const destinationField = (entry: RootfsEntry): string => `${entryPath(entry)}.${entry._tag === "Directory" ? "directory" : entry._tag === "Whiteout" ? "whiteout" : "destination"}`;
const copiedOrigin = (shown: string, entry: CopyEntry): string => `${shown} (copied by ${entry.at})`;

const describeNode = (node: TreeNode): string => {
  switch (node.data._tag) {
    case "Directory":
      return "a folder";
    case "Symlink":
      return `a symlink to ${showPath(node.data.target)}`;
    case "File":
    case "HardLink":
      return "a file";
  }
};

const conflict = (at: string, key: string, reason: string): BuildError => ({ _tag: "DestinationConflict", at, destination: displayKey(key), reason });

// Who is placing a node, for messages: the step and the spec field at fault (`…destination` of an
// entry, or `…source` of a copy) and, for a copied file, its path ("rootfs/lib").
interface Placer {
  readonly at: string;
  readonly copied?: string;
}

// A layer's tree, built from its entries without copying anything. Folders a destination implies
// get mode 0755 and the layer's owner; the root is always a folder. Two entries (or an entry and
// a file of a copied tree) may not claim one path, and nothing may sit below a symlink or a file:
// extracting such a tar would write through the link. Copied trees are walked with lstat, so no
// symlink in them is ever followed; what the copy's `exclude` rules match is left out (a folder
// with everything in it); sockets, FIFOs, devices and whiteout names (`.wh.*`) are refused by name.
export const assembleTree = (step: Assemble, sourceRoot: string): TE.TaskEither<BuildError, LayerTree> => async () => {
  const tree = new Map<string, TreeNode>();
  // Folders nobody asked for by name (the root, parents of destinations), each with the path
  // below it that implied it: an explicit folder may restate one; anything else there is an error.
  const implied = new Map<string, string>([["", ""]]);
  tree.set("", { key: "", data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: step.owner.uid, gid: step.owner.gid, origin: step.name });

  const ensureParents = (node: TreeNode, by: Placer): BuildError | undefined => {
    const missing: string[] = [];
    for (let p = parentKey(node.key); p !== ""; p = parentKey(p)) {
      const existing = tree.get(p);
      if (existing === undefined) missing.push(p);
      else if (existing.data._tag !== "Directory") {
        const what = existing.data._tag === "Symlink" ? "symlink" : "file";
        const subject = by.copied === undefined ? "" : `${by.copied} `;
        return conflict(by.at, node.key, `${subject}would lie below /${displayKey(p)}, ${describeNode(existing)} from ${existing.origin}; nothing may be placed below a ${what}`);
      } else break;
    }
    for (const p of missing) {
      tree.set(p, { key: p, data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: step.owner.uid, gid: step.owner.gid, origin: node.origin });
      implied.set(p, node.key);
    }
    return undefined;
  };

  const place = (node: TreeNode, by: Placer): BuildError | undefined => {
    const existing = tree.get(node.key);
    const below = implied.get(node.key);
    if (existing !== undefined && !(below !== undefined && node.data._tag === "Directory")) {
      const subject = by.copied === undefined ? "is" : `${by.copied} is`;
      if (below !== undefined)
        return conflict(by.at, node.key, `${subject} ${describeNode(node)}, but ${existing.origin} puts /${displayKey(below)} below it; nothing may be placed below a ${node.data._tag === "Symlink" ? "symlink" : "file"}`);
      return conflict(by.at, node.key, `${by.copied === undefined ? "" : `${by.copied} goes there, but `}${existing.origin} is already there`);
    }
    implied.delete(node.key);
    const parentError = node.key === "" ? undefined : ensureParents(node, by);
    if (parentError !== undefined) return parentError;
    tree.set(node.key, node);
    return undefined;
  };

  for (const entry of step.entries) {
    const origin = entryPath(entry);
    const by: Placer = { at: `${step.name} ${destinationField(entry)}` };
    const error =
      entry._tag === "Copy"
        ? copyTree({ entry, at: `${step.name} ${entry.at}`, sourceRoot, place, tree, excluded: excludeMatcher(entry.exclude) })
        : entryNodes(entry, origin).reduce<BuildError | undefined>((failed, node) => failed ?? place(node, by), undefined);
    if (error !== undefined) return { _tag: "Left", left: error };
  }
  return { _tag: "Right", right: tree };
};

// Whiteout files are empty regular files (image-spec layer.md, "Whiteouts"), root's.
const whiteoutNode = (key: string, origin: string): TreeNode => ({ key, data: { _tag: "File", from: { _tag: "Inline", bytes: new Uint8Array(0) } }, mode: WHITEOUT_MODE, uid: 0, gid: 0, origin });

// An entry the spec spells out (not a copy) as its nodes: one, or an opaque folder and its marker.
const entryNodes = (entry: Exclude<RootfsEntry, CopyEntry>, origin: string): readonly TreeNode[] => {
  if (entry._tag === "Whiteout") return [whiteoutNode(keyOfUtf8(whiteoutPath(entry.destination)), origin)];
  const node = entryNode(entry, keyOfUtf8(entry.destination), origin);
  return entry._tag === "Directory" && entry.opaque === true ? [node, whiteoutNode(keyOfUtf8(opaquePath(entry.destination)), origin)] : [node];
};

const entryNode = (entry: Exclude<RootfsEntry, CopyEntry | { readonly _tag: "Whiteout" }>, key: string, origin: string): TreeNode => {
  const { uid, gid } = entry.owner;
  switch (entry._tag) {
    case "Symlink":
      return { key, data: { _tag: "Symlink", target: Buffer.from(entry.target, "utf8") }, mode: SYMLINK_MODE, uid, gid, origin };
    case "Content":
      return { key, data: { _tag: "File", from: { _tag: "Inline", bytes: Buffer.from(entry.content, "utf8") } }, mode: entry.mode, uid, gid, origin };
    case "Directory":
      return { key, data: { _tag: "Directory" }, mode: entry.mode, uid, gid, origin };
  }
};

// One file of a copied tree waiting to be placed: where it is on disk, how messages show it
// (the spec's source path joined with the names below it), and where it goes in the image.
interface Found {
  readonly disk: Buffer;
  readonly shown: string;
  readonly key: string;
  readonly names: readonly string[]; // below the copied source (latin1), what `exclude` matches
  readonly stat: BigIntStats;
  readonly top: boolean;
}

interface Copy {
  readonly entry: CopyEntry;
  readonly at: string; // the step and the entry's source field, where its errors are reported
  readonly sourceRoot: string;
  readonly place: (node: TreeNode, by: Placer) => BuildError | undefined;
  readonly tree: Map<string, TreeNode>;
  readonly excluded: Excluded | undefined;
}

// The spec's `source` itself: a missing file, a dangling symlink or a symlink loop is an error
// naming it; a symlink that resolves is copied as a symlink (never followed), like any other.
const statSource = (entry: CopyEntry, at: string, top: string): BuildError | BigIntStats => {
  const failed = (e: unknown): BuildError =>
    codeOf(e) === "ELOOP" ? { _tag: "SymlinkLoop", at, path: entry.source } : { _tag: "SourceMissing", at, path: entry.source, reason: errnoReason(e) };
  let stat: BigIntStats;
  try {
    stat = lstatSync(top, { bigint: true });
  } catch (e) {
    return failed(e);
  }
  if (!stat.isSymbolicLink()) return stat;
  try {
    statSync(top);
  } catch (e) {
    if (codeOf(e) === "ELOOP") return failed(e);
    const target = readTarget(top);
    return { _tag: "SourceMissing", at, path: entry.source, reason: `it is a symlink to ${target}, which ${codeOf(e) === "ENOENT" ? "does not exist" : `cannot be followed (${errnoReason(e)})`}` };
  }
  return stat;
};

const lstatOrUndefined = (disk: Buffer): BigIntStats | undefined => {
  try {
    return lstatSync(disk, { bigint: true });
  } catch {
    return undefined;
  }
};

// A symlink's target for a message; "?" if it cannot even be read.
const readTarget = (link: string): string => {
  try {
    return showPath(readlinkSync(link, { encoding: "buffer" }));
  } catch {
    return "?";
  }
};

// Walks a copied tree with lstat, never following a symlink, and places every node. Synchronous
// calls: node's promise API costs some 20 µs of main-thread time per call, five times a
// synchronous lstat, which for a tree of 100,000 files is most of the build.
const copyTree = (copy: Copy): BuildError | undefined => {
  const { entry, at, sourceRoot } = copy;
  const top = path.resolve(sourceRoot, entry.source);
  const topStat = statSource(entry, at, top);
  if ("_tag" in topStat) return topStat;
  if (entry.destination === "" && !topStat.isDirectory())
    return conflict(at, "", `the image root must be a folder, but ${entry.source} is ${topStat.isSymbolicLink() ? "a symlink" : "not a folder"}`);
  const links = new Map<string, string[]>(); // dev:ino → keys, to turn repeats into hard links
  // Depth first with an explicit stack, so a deep tree costs no recursion.
  const stack: Found[] = [{ disk: Buffer.from(top), shown: entry.source, key: keyOfUtf8(entry.destination), names: [], stat: topStat, top: true }];
  for (let found = stack.pop(); found !== undefined; found = stack.pop()) {
    if (!found.stat.isDirectory()) {
      const error = placeLeaf(copy, found, links);
      if (error !== undefined) return error;
      continue;
    }
    const { disk, shown, key } = found;
    const xattrs = copiedXattrs(disk, found.stat, at, shown);
    const error = "_tag" in xattrs ? xattrs : copy.place({ ...nodeBase(copy, found), ...xattrs, key, data: { _tag: "Directory" } }, { at, copied: shown });
    if (error !== undefined) return error;
    let listing: Buffer[];
    try {
      listing = readdirSync(disk, { encoding: "buffer" }).sort(Buffer.compare);
    } catch (e) {
      return { _tag: "SourceMissing", at, path: shown, reason: errnoReason(e) };
    }
    // In name order, so the first problem reported does not depend on the file system.
    const folders: Found[] = [];
    for (const name of listing) {
      const child = Buffer.concat([disk, SLASH, name]);
      const childShown = `${shown}/${showPath(name)}`;
      let stat: BigIntStats;
      try {
        stat = lstatSync(child, { bigint: true });
      } catch (e) {
        return { _tag: "SourceMissing", at, path: childShown, reason: errnoReason(e) };
      }
      const nameKey = name.toString("latin1");
      const names = [...found.names, nameKey];
      if (copy.excluded?.(names, stat.isDirectory()) === true) continue; // a folder: with all it holds
      if (nameKey.startsWith(WHITEOUT_PREFIX)) return { _tag: "SourceWhiteout", at, path: childShown };
      const next: Found = { disk: child, shown: childShown, key: joinKey(key, nameKey), names, stat, top: false };
      if (stat.isDirectory()) folders.push(next);
      else {
        const leafError = placeLeaf(copy, next, links);
        if (leafError !== undefined) return leafError;
      }
    }
    // A folder swapped for a symlink while it was listed would have let the listing wander outside
    // the tree; the tar step reads only the files (inodes) seen here, so checking here suffices.
    const after = lstatOrUndefined(disk);
    if (after === undefined || !after.isDirectory() || after.ino !== found.stat.ino || after.dev !== found.stat.dev)
      return { _tag: "SourceChanged", at, path: shown, reason: "it was replaced while it was being listed" };
    stack.push(...folders.reverse());
  }
  // The first path of an inode in tar order carries the data; the others link to it, as GNU tar does.
  const hardLinks: TreeNode[] = [];
  for (const keys of links.values()) {
    const [first, ...rest] = [...keys].sort(compareTreeOrder);
    // `first` is there whenever `rest` has a path
    for (const node of rest.flatMap((key) => copy.tree.get(key) ?? [])) hardLinks.push(hardLinkTo(node, first as string));
  }
  for (const node of hardLinks) copy.tree.set(node.key, node);
  return undefined;
};

// Mode, owner and origin of a copied node: the spec's mode applies to the source itself only;
// everything else gets its mode on disk, kept or normalised (the copy's `modes`), and the image
// root 0755 unless told; the owner is the copy's, or the numeric one on disk ("keep").
const nodeBase = (copy: Copy, found: Found): Pick<TreeNode, "mode" | "uid" | "gid" | "origin"> => {
  const explicit = found.top ? copy.entry.mode : undefined;
  const disk = Number(found.stat.mode) & 0o7777;
  const mode = explicit ?? (found.key === "" ? DEFAULT_DIR_MODE : copy.entry.modes === "keep" ? disk : normaliseMode(disk));
  const owner = copy.entry.owner;
  const { uid, gid } = owner === "keep" ? { uid: Number(found.stat.uid), gid: Number(found.stat.gid) } : owner;
  return { mode, uid, gid, origin: copiedOrigin(found.shown, copy.entry) };
};

// A file, symlink or special file of a copied tree.
const placeLeaf = (copy: Copy, found: Found, links: Map<string, string[]>): BuildError | undefined => {
  const { disk, shown, key, stat: s } = found;
  // GNU tar turns every repeated non-folder inode into a hard link, symlinks included.
  if (s.nlink > 1n && (s.isFile() || s.isSymbolicLink())) {
    const inode = `${s.dev}:${s.ino}`;
    const keys = links.get(inode);
    if (keys === undefined) links.set(inode, [key]);
    else keys.push(key);
  }
  if (s.isFile()) {
    const identity = { dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
    return copy.place({ ...nodeBase(copy, found), key, data: { _tag: "File", from: { _tag: "Disk", path: disk, identity } } }, { at: copy.at, copied: shown });
  }
  if (!s.isSymbolicLink()) return { _tag: "SourceUnsupported", at: copy.at, path: shown, kind: kindOf(s), inside: !found.top };
  let target: Buffer;
  try {
    target = readlinkSync(disk, { encoding: "buffer" });
  } catch (e) {
    return { _tag: "SourceMissing", at: copy.at, path: shown, reason: errnoReason(e) };
  }
  const xattrs = copiedXattrs(disk, s, copy.at, shown);
  return "_tag" in xattrs ? xattrs : copy.place({ ...nodeBase(copy, found), ...xattrs, mode: SYMLINK_MODE, key, data: { _tag: "Symlink", target } }, { at: copy.at, copied: shown });
};

export const orderedNodes = (tree: LayerTree): readonly TreeNode[] => [...tree.values()].sort((a, b) => compareTreeOrder(a.key, b.key));
