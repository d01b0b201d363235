import type { TarEntry } from "./TarEntry.ts";
import { writeChecksumField, writeNumericField } from "./tarNumeric.ts";

// The header block(s) GNU tar 1.34 writes for one entry with
// `--format=gnu --numeric-owner` (create.c: start_header, finish_header, write_gnu_long_link).
// The entry is assumed valid (validateTarEntry); the encoder itself is total and pure.

export const BLOCK_SIZE = 512;

// The archive ends with two zero blocks; with `-b1` GNU tar adds no record padding after them.
// Shared: do not write into it.
export const END_OF_ARCHIVE: Uint8Array = new Uint8Array(2 * BLOCK_SIZE);

// A field of 100 bytes holds a name of up to 100 bytes (no NUL needed). Longer names and link
// targets go into a ././@LongLink block before the header, and the field keeps the first 100.
export const NAME_FIELD_SIZE = 100;

export const TYPE_FLAG = { File: 0x30, HardLink: 0x31, Symlink: 0x32, Directory: 0x35 } as const;
const GNU_LONGNAME = 0x4c; // 'L': the next header's name
const GNU_LONGLINK = 0x4b; // 'K': the next header's link target

// "ustar  \0": the old GNU magic and version, which --format=gnu writes.
const GNU_MAGIC = Uint8Array.from([0x75, 0x73, 0x74, 0x61, 0x72, 0x20, 0x20, 0x00]);
// "ustar\0" "00": POSIX's magic and version, which --format=posix writes.
export const POSIX_MAGIC = Uint8Array.from([0x75, 0x73, 0x74, 0x61, 0x72, 0x00, 0x30, 0x30]);
const LONG_LINK_NAME = new TextEncoder().encode("././@LongLink");
const DOT_SLASH = Uint8Array.from([0x2e, 0x2f]);
const DOT = Uint8Array.from([0x2e]);
const SLASH = Uint8Array.from([0x2f]);

const OFFSET = {
  name: 0,
  mode: 100,
  uid: 108,
  gid: 116,
  size: 124,
  mtime: 136,
  checksum: 148,
  typeflag: 156,
  linkname: 157,
  magic: 257,
  devmajor: 329,
  devminor: 337,
} as const;

export const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

// The name GNU tar gives an entry when run as `tar -C ROOT ... .`: "./" for the root, "./a/b"
// below it, and a trailing "/" on every directory.
export const archiveName = (entry: TarEntry): Uint8Array => {
  const base = entry.path.length === 0 ? DOT : concat([DOT_SLASH, entry.path]);
  return entry._tag === "Directory" ? concat([base, SLASH]) : base;
};

// What the link target field holds: a symlink's target verbatim, a hard link's target as the
// archive name of the earlier entry ("./a/b").
export const archiveLinkName = (entry: TarEntry): Uint8Array | undefined => {
  switch (entry._tag) {
    case "Symlink":
      return entry.linkTarget;
    case "HardLink":
      return concat([DOT_SLASH, entry.linkTarget]);
    case "File":
    case "Directory":
      return undefined;
  }
};

const sealChecksum = (block: Uint8Array): Uint8Array => {
  block.fill(0x20, OFFSET.checksum, OFFSET.checksum + 8);
  let sum = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) sum += block[i] as number;
  writeChecksumField(block, OFFSET.checksum, sum);
  return block;
};

export interface HeaderFields {
  readonly name: Uint8Array;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: bigint;
  readonly mtime: number;
  readonly typeflag: number;
  readonly linkname: Uint8Array | undefined;
  // GNU_MAGIC unless given.
  readonly magic?: Uint8Array;
  // Whether devmajor/devminor hold zeros ("0000000\0"), as --format=posix writes them for
  // every member, rather than staying NUL.
  readonly deviceNumbers?: boolean;
}

// uname/gname stay empty: --numeric-owner. devmajor/devminor (unless asked for) and the GNU
// extension fields (atime, ctime, sparse map) stay NUL for these entry types.
export const headerBlock = (fields: HeaderFields): Uint8Array => {
  const block = new Uint8Array(BLOCK_SIZE);
  block.set(fields.name.subarray(0, NAME_FIELD_SIZE), OFFSET.name);
  writeNumericField(block, OFFSET.mode, 8, fields.mode);
  writeNumericField(block, OFFSET.uid, 8, fields.uid);
  writeNumericField(block, OFFSET.gid, 8, fields.gid);
  writeNumericField(block, OFFSET.size, 12, fields.size < 8589934592n ? Number(fields.size) : fields.size);
  writeNumericField(block, OFFSET.mtime, 12, fields.mtime);
  block[OFFSET.typeflag] = fields.typeflag;
  if (fields.linkname !== undefined) block.set(fields.linkname.subarray(0, NAME_FIELD_SIZE), OFFSET.linkname);
  block.set(fields.magic ?? GNU_MAGIC, OFFSET.magic);
  if (fields.deviceNumbers === true) {
    writeNumericField(block, OFFSET.devmajor, 8, 0);
    writeNumericField(block, OFFSET.devminor, 8, 0);
  }
  return sealChecksum(block);
};

// GNU tar's long-name record: a fixed pseudo header (mode 0644, uid/gid 0, mtime 0 whatever
// --owner/--mtime say, empty uname/gname under --numeric-owner) whose data is the full name
// plus a terminating NUL, padded to whole blocks.
const longLinkBlocks = (typeflag: number, value: Uint8Array): Uint8Array => {
  const dataSize = value.length + 1;
  const header = headerBlock({ name: LONG_LINK_NAME, mode: 0o644, uid: 0, gid: 0, size: BigInt(dataSize), mtime: 0, typeflag, linkname: undefined });
  const data = new Uint8Array(dataSize + tarPaddingSize(dataSize));
  data.set(value, 0);
  return concat([header, data]);
};

// Every block GNU tar writes before the entry's data: a 'K' record when the link target is over
// 100 bytes, then an 'L' record when the name is, then the header (that order is GNU tar's).
export const encodeTarHeader = (entry: TarEntry): Uint8Array => {
  const name = archiveName(entry);
  const linkname = archiveLinkName(entry);
  const blocks: Uint8Array[] = [];
  if (linkname !== undefined && linkname.length > NAME_FIELD_SIZE) blocks.push(longLinkBlocks(GNU_LONGLINK, linkname));
  if (name.length > NAME_FIELD_SIZE) blocks.push(longLinkBlocks(GNU_LONGNAME, name));
  blocks.push(
    headerBlock({
      name,
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      size: entry._tag === "File" ? entry.size : 0n,
      mtime: entry.mtime,
      typeflag: TYPE_FLAG[entry._tag],
      linkname,
    }),
  );
  return blocks.length === 1 ? (blocks[0] as Uint8Array) : concat(blocks);
};

// Zero bytes that follow `size` bytes of file data up to the next block boundary.
export const tarPaddingSize = (size: bigint | number): number => {
  const rest = Number(BigInt(size) % BigInt(BLOCK_SIZE));
  return rest === 0 ? 0 : BLOCK_SIZE - rest;
};

export const tarPadding = (size: bigint | number): Uint8Array => new Uint8Array(tarPaddingSize(size));
