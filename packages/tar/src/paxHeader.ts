import type { TarEntry } from "./TarEntry.ts";
import { xattrsOf } from "./TarEntry.ts";
import { NAME_FIELD_SIZE, POSIX_MAGIC, TYPE_FLAG, archiveLinkName, archiveName, concat, headerBlock, tarPaddingSize } from "./tarHeader.ts";

// The header block(s) GNU tar 1.34 writes for one entry in the "pax" format (TarFormat.ts):
// `--format=posix --numeric-owner --xattrs --xattrs-include=security.capability
// --pax-option=delete=atime,delete=ctime,exthdr.name=%d/PaxHeaders/%f` (create.c:
// write_header_name, start_header; xheader.c: xheader_write, xheader_format_name). Checked
// field by field against GNU tar (test/paxHeader.test.ts, test/tarXattrs.test.ts).
//
// An entry gets an extended header ('x') before its ustar header when it has something the
// ustar header cannot hold, as these records, in this order:
//   linkpath   a link target over 100 bytes
//   path       a name over 100 bytes, or one with a byte over 0x7f (GNU tar wants pax names in
//              UTF-8 and, in the C locale, stores the bytes as they are)
//   uid, gid   over 07777777
//   size       over 077777777777
//   mtime      negative or over 077777777777
//   SCHILY.xattr.NAME=VALUE, per extended attribute, in the order given
// The ustar field then holds what fits: the first 100 bytes of a name or target, 0 for a number.
// The extended header's own header: named "%d/PaxHeaders/%f" after the entry (cut to 100
// bytes), mode 0644, owner 0:0, the entry's mtime clamped to 0..077777777777.
// Every ustar header has POSIX's magic and devmajor/devminor "0000000"; the prefix field
// stays empty (GNU tar uses a path record instead).

const MAX_ID = 0o7777777;
const MAX_OCTAL_11 = 0o77777777777;
const PAX_HEADER = 0x78; // 'x'
const HIGH_BIT = 0x80;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const PAX_HEADERS = utf8("/PaxHeaders/");
const SLASH = 0x2f;

// "%d %s=%s\n", where %d counts the whole record, its own digits included.
const paxRecord = (keyword: string, value: Uint8Array): Uint8Array => {
  const rest = 1 + keyword.length + 1 + value.length + 1; // " " keyword "=" value "\n"
  let digits = String(rest).length;
  while (String(rest + digits).length !== digits) digits = String(rest + digits).length;
  return concat([utf8(`${rest + digits} ${keyword}=`), value, utf8("\n")]);
};

const decimal = (n: bigint | number): Uint8Array => utf8(String(n));

const hasHighByte = (bytes: Uint8Array): boolean => bytes.some((b) => (b & HIGH_BIT) !== 0);

const outside = (value: bigint | number, max: number): boolean => value < 0 || value > max;

// The records of an entry, in GNU tar's order; [] when the ustar header holds everything.
const recordsOf = (entry: TarEntry, name: Uint8Array, linkname: Uint8Array | undefined): readonly Uint8Array[] => {
  const records: Uint8Array[] = [];
  if (linkname !== undefined && linkname.length > NAME_FIELD_SIZE) records.push(paxRecord("linkpath", linkname));
  if (name.length > NAME_FIELD_SIZE || hasHighByte(name)) records.push(paxRecord("path", name));
  if (outside(entry.uid, MAX_ID)) records.push(paxRecord("uid", decimal(entry.uid)));
  if (outside(entry.gid, MAX_ID)) records.push(paxRecord("gid", decimal(entry.gid)));
  if (entry._tag === "File" && entry.size > BigInt(MAX_OCTAL_11)) records.push(paxRecord("size", decimal(entry.size)));
  if (outside(entry.mtime, MAX_OCTAL_11)) records.push(paxRecord("mtime", decimal(entry.mtime)));
  for (const { name: attribute, value } of xattrsOf(entry)) records.push(paxRecord(`SCHILY.xattr.${attribute}`, value));
  return records;
};

// exthdr.name=%d/PaxHeaders/%f: %d and %f are the directory and last component of the archive
// name without its trailing "/" ("./" is "." in "."; "./bin/" is "bin" in ".").
export const paxHeaderName = (name: Uint8Array): Uint8Array => {
  const bare = name.length > 1 && name[name.length - 1] === SLASH ? name.subarray(0, name.length - 1) : name;
  const slash = bare.lastIndexOf(SLASH);
  const [directory, base] = slash === -1 ? [bare, bare] : [bare.subarray(0, slash), bare.subarray(slash + 1)];
  return concat([directory, PAX_HEADERS, base]);
};

const extendedHeader = (entry: TarEntry, name: Uint8Array, records: readonly Uint8Array[]): Uint8Array => {
  const data = concat(records);
  const header = headerBlock({
    name: paxHeaderName(name),
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: BigInt(data.length),
    mtime: Math.min(Math.max(entry.mtime, 0), MAX_OCTAL_11),
    typeflag: PAX_HEADER,
    linkname: undefined,
    magic: POSIX_MAGIC,
  });
  return concat([header, data, new Uint8Array(tarPaddingSize(data.length))]);
};

// Every block GNU tar writes before the entry's data, in the pax format.
export const encodePaxHeader = (entry: TarEntry): Uint8Array => {
  const name = archiveName(entry);
  const linkname = archiveLinkName(entry);
  const size = entry._tag === "File" ? entry.size : 0n;
  const ustar = headerBlock({
    name,
    mode: entry.mode,
    uid: outside(entry.uid, MAX_ID) ? 0 : entry.uid,
    gid: outside(entry.gid, MAX_ID) ? 0 : entry.gid,
    size: size > BigInt(MAX_OCTAL_11) ? 0n : size,
    mtime: outside(entry.mtime, MAX_OCTAL_11) ? 0 : entry.mtime,
    typeflag: TYPE_FLAG[entry._tag],
    linkname,
    magic: POSIX_MAGIC,
    deviceNumbers: true,
  });
  const records = recordsOf(entry, name, linkname);
  return records.length === 0 ? ustar : concat([extendedHeader(entry, name, records), ustar]);
};
