import * as E from "fp-ts/lib/Either.js";
import type { BigIntStats } from "node:fs";
import { readCapability, describeTarError } from "@ocistage/tar";
import type { BuildError } from "./BuildError.ts";
import type { TreeNode } from "./LayerTree.ts";

// The extended attributes a copied file, folder or symlink brings into its layer: its
// security.capability (`setcap cap_net_raw+ep ping`), read the way GNU tar's
// `--xattrs --xattrs-include=security.capability` reads it, so the layer can keep it. Every other
// attribute (user.*, security.selinux, ACLs) is dropped, as the README's Determinism section
// says. Hard links carry none: the first path of the inode does (GNU tar's rule).
// Folders and symlinks are read while the tree is assembled, so the cache key holds their
// attributes; files when their layer is tarred (fileCapabilities.ts): a file's key has its ctime,
// which setting or removing an attribute moves, and a no-op rebuild reads nothing more per file.
// An attribute that cannot be read is an error naming the file as the spec reached it.
export const copiedXattrs = (disk: Buffer, stat: BigIntStats, at: string, shown: string): BuildError | Pick<TreeNode, "xattrs"> => {
  const read = readCapability(disk, stat.isSymbolicLink());
  if (E.isLeft(read)) {
    const reason = read.left._tag === "Unreadable" ? `cannot ${read.left.operation}: ${read.left.reason}` : describeTarError(read.left);
    return { _tag: "SourceMissing", at, path: shown, reason };
  }
  return read.right.length === 0 ? {} : { xattrs: read.right };
};

// The node a repeated inode's later path becomes: a hard link to `target` (the inode's first path
// in tar order), without extended attributes, which stay with the first path as GNU tar writes them.
export const hardLinkTo = (node: TreeNode, target: string): TreeNode => {
  const { xattrs: _keptByTheFirstPath, ...link } = node;
  return { ...link, data: { _tag: "HardLink", target } };
};
