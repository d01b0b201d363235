import type { FileIdentity, TarXattr } from "@ocistage/tar";

// A layer's file tree as the build sees it: nothing is copied to a scratch folder; each node
// says where its bytes come from, so the tar writer reads every input exactly once.
// Keys are the image path's raw bytes as a latin1 string ("" is the root, no leading "./"),
// which keeps non-UTF-8 names exact and makes byte order the string order.
export type NodeData =
  | { readonly _tag: "Directory" }
  | { readonly _tag: "File"; readonly from: FileSource }
  | { readonly _tag: "Symlink"; readonly target: Buffer }
  | { readonly _tag: "HardLink"; readonly target: string }; // key of the first path of the inode

export type FileSource =
  | { readonly _tag: "Disk"; readonly path: Buffer; readonly identity: FileIdentity }
  | { readonly _tag: "Inline"; readonly bytes: Uint8Array };

export interface TreeNode {
  readonly key: string;
  readonly data: NodeData;
  readonly mode: number; // permission bits as they go into the tar
  readonly uid: number;
  readonly gid: number;
  readonly origin: string; // the spec entry that made it, for error messages
  // A copied node's security.capability (copiedXattrs.ts); absent when it has none.
  readonly xattrs?: readonly TarXattr[];
}

export type LayerTree = ReadonlyMap<string, TreeNode>;

export const keyOfUtf8 = (path: string): string => Buffer.from(path, "utf8").toString("latin1");
export const bytesOfKey = (key: string): Buffer => Buffer.from(key, "latin1");
export const displayKey = (key: string): string => bytesOfKey(key).toString("utf8");
export const joinKey = (parent: string, name: string): string => (parent === "" ? name : `${parent}/${name}`);
export const parentKey = (key: string): string => (key.includes("/") ? key.slice(0, key.lastIndexOf("/")) : "");

// GNU tar's --sort=name walk: depth first, each folder's entries in byte order. That is plain
// byte order of the paths once "/" sorts below every other byte, so "a/b" comes before "a-c".
export const compareTreeOrder = (a: string, b: string): number => {
  const x = a.replaceAll("/", "\u0000");
  const y = b.replaceAll("/", "\u0000");
  return x < y ? -1 : x > y ? 1 : 0;
};
