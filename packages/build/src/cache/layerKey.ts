import { createHash } from "node:crypto";
import { canonicalJson } from "@ocistage/oci";
import type { Json } from "@ocistage/oci";
import type { StepOf } from "@ocistage/program";
import type { TreeNode } from "../LayerTree.ts";

// Bump when the layer tar the build writes for the same tree changes (a tar writer fix), so
// no record made by an older writer is ever reused.
// 2: a node's extended attributes (security.capability) are part of the key and of the tar.
// 3: the tar step carries its compression (so its key), and records carry the diff_id.
export const LAYER_KEY_VERSION = "ocistage-layer-key/3";

// A layer's cache key: everything its tar depends on, without reading any file's data.
// - the program's fragment for the layer: the assemble-rootfs and tar-layer steps (entries,
//   owners, modes, the mtime / SOURCE_DATE_EPOCH, the media type and compression: an
//   uncompressed and a gzip build of one tree are two records, two blobs, one diff_id);
// - every node of the assembled tree, in tar order: its path, kind, mode, owner, link target,
//   and for a file on disk where it is and what lstat said of it (size, mtime, ctime, inode,
//   device), and a folder's or symlink's extended attributes (copiedXattrs.ts), names and raw
//   values; a file's are read only when its layer is tarred, and setting or removing one moves
//   its ctime, as a write to it does (which no user can set back), and a replaced
//   file has a new inode, so a content change almost always changes the key; --verify-inputs
//   covers the rest by re-reading.
// Fields are length-prefixed bytes and fixed-width integers, so two different trees never
// serialise the same way.
export const layerKey = (assemble: StepOf<"AssembleRootfs">, tar: StepOf<"TarLayer">, nodes: readonly TreeNode[]): string => {
  const key = new KeyHasher();
  key.text(LAYER_KEY_VERSION);
  key.text(canonicalJson(assemble as unknown as Json));
  key.text(canonicalJson(tar as unknown as Json));
  for (const node of nodes) {
    key.latin1(node.key); // raw path bytes, held as a latin1 string (LayerTree.ts)
    key.u32(node.mode);
    key.u32(node.uid);
    key.u32(node.gid);
    const xattrs = node.xattrs ?? [];
    key.u32(xattrs.length);
    for (const { name, value } of xattrs) {
      key.text(name);
      key.bytes(value);
    }
    const data = node.data;
    switch (data._tag) {
      case "Directory":
        key.u32(KIND.directory);
        break;
      case "Symlink":
        key.u32(KIND.symlink);
        key.bytes(data.target);
        break;
      case "HardLink":
        key.u32(KIND.hardLink);
        key.latin1(data.target);
        break;
      case "File": {
        const from = data.from;
        if (from._tag === "Disk") {
          key.u32(KIND.diskFile);
          key.bytes(from.path);
          const { size, mtimeNs, ctimeNs, ino, dev } = from.identity;
          key.u64s(size, mtimeNs, ctimeNs, ino, dev);
        } else {
          key.u32(KIND.inlineFile);
          key.bytes(from.bytes);
        }
        break;
      }
    }
  }
  return key.digest();
};

const KIND = { directory: 1, symlink: 2, hardLink: 3, diskFile: 4, inlineFile: 5 } as const;

// Serialises into one reused buffer and hashes it a MiB at a time: a hash call or a number
// formatted per field would cost more than the lstat calls that found the nodes.
class KeyHasher {
  private readonly hash = createHash("sha256");
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;

  private room(n: number): void {
    if (this.used + n <= this.buffer.length) return;
    this.hash.update(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  u32(n: number): void {
    this.room(4);
    this.used = this.buffer.writeUInt32LE(n >>> 0, this.used);
  }

  // Through a BigUint64Array: its native conversion (modulo 2^64, so negative times are fine)
  // is far cheaper than Buffer's writeBigUInt64LE.
  private readonly words = new BigUint64Array(5);
  private readonly wordBytes = new Uint8Array(this.words.buffer);

  u64s(a: bigint, b: bigint, c: bigint, d: bigint, e: bigint): void {
    this.words[0] = a;
    this.words[1] = b;
    this.words[2] = c;
    this.words[3] = d;
    this.words[4] = e;
    this.room(40);
    this.buffer.set(this.wordBytes, this.used);
    this.used += 40;
  }

  bytes(b: Uint8Array): void {
    this.u32(b.length);
    if (b.length > 1 << 16) {
      this.room(this.buffer.length);
      this.hash.update(b);
      return;
    }
    this.room(b.length);
    this.buffer.set(b, this.used);
    this.used += b.length;
  }

  // A string of raw bytes, one per char (every char below 256).
  latin1(s: string): void {
    if (s.length > 1 << 16) return this.bytes(Buffer.from(s, "latin1"));
    this.u32(s.length);
    this.room(s.length);
    this.used += this.buffer.write(s, this.used, "latin1");
  }

  text(s: string): void {
    this.bytes(Buffer.from(s, "utf8"));
  }

  digest(): string {
    this.hash.update(this.buffer.subarray(0, this.used));
    return this.hash.digest("hex");
  }
}
