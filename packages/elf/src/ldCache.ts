import * as E from "fp-ts/lib/Either.js";
import type { ElfError } from "./ElfError.ts";
import { elfError } from "./ElfError.ts";

/** One entry of /etc/ld.so.cache: a library name, the path ldconfig found it at, and what it is for. */
export interface LdCacheEntry {
  readonly name: string; // the soname ("libc.so.6")
  readonly path: string; // "/lib/x86_64-linux-gnu/libc.so.6"
  readonly flags: number; // FLAG_ELF_LIBC6 (3) or'ed with the architecture's bits (x86-64: 0x0300)
  readonly hwcap: bigint; // 0 for the baseline entry; glibc-hwcaps or legacy hwcap entries are not 0
}

const OLD_MAGIC = "ld.so-1.7.0";
const NEW_MAGIC = "glibc-ld.so.cache1.1";
const NEW_HEADER = 48; // magic and version (20), nlibs, len_strings, flags + 3 pad, extension_offset, 3 unused
const NEW_ENTRY = 24; // flags, key, value, osversion, hwcap (u64)
const OLD_ENTRY = 12; // flags, key, value

const text = (bytes: Uint8Array, from: number, length: number): string => Buffer.from(bytes.subarray(from, from + length)).toString("latin1");

/**
 * Parses glibc's ld.so.cache in its "glibc-ld.so.cache1.1" format (what ldconfig writes since
 * glibc 2.32, and after the old "ld.so-1.7.0" table in older files). Layout, from glibc's
 * `cache_file_new`: a 48-byte header (magic, version "1.1", the entry count, the string table's
 * length, a byte-order flag 2 little / 3 big), then 24-byte entries (flags, name offset, path
 * offset, unused OS version, hwcap), names and paths being NUL-terminated strings at offsets from
 * the header's start. Counts and offsets are checked against the file's size: a truncated or
 * hostile cache gives an error naming `file`.
 */
export const parseLdCache = (bytes: Uint8Array, file: string): E.Either<ElfError, readonly LdCacheEntry[]> => {
  let start = 0;
  if (text(bytes, 0, OLD_MAGIC.length) === OLD_MAGIC) {
    if (bytes.length < 16) return E.left(elfError(file, "truncated", "truncated old-format ld.so.cache header"));
    const oldCount = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
    start = 16 + oldCount * OLD_ENTRY;
    start = Math.ceil(start / 8) * 8; // the new table follows, aligned as its 8-byte fields require
    if (!Number.isSafeInteger(start) || start > bytes.length) return E.left(elfError(file, "malformed", `old-format entry count ${oldCount} runs past the end of the file`));
  }
  if (text(bytes, start, NEW_MAGIC.length) !== NEW_MAGIC)
    return E.left(elfError(file, "malformed", `not a glibc ld.so.cache in format 1.1 (no "${NEW_MAGIC}" at offset ${start})`));
  if (bytes.length - start < NEW_HEADER) return E.left(elfError(file, "truncated", `truncated ld.so.cache header (${bytes.length - start} of ${NEW_HEADER} bytes)`));
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, bytes.length - start);
  const order = view.getUint8(28) & 3;
  if (order === 1) return E.left(elfError(file, "malformed", "the ld.so.cache says its byte order is invalid"));
  const little = order !== 3; // 0 (unset, older ldconfig) means this machine's order: little on x86-64
  const count = view.getUint32(20, little);
  if (count > (view.byteLength - NEW_HEADER) / NEW_ENTRY)
    return E.left(elfError(file, "malformed", `ld.so.cache declares ${count} entries, more than its ${bytes.length} bytes hold`));

  const stringAt = (offset: number, what: string): E.Either<ElfError, string> => {
    if (offset >= view.byteLength) return E.left(elfError(file, "malformed", `${what}: string offset ${offset} lies past the end of the cache`));
    const end = bytes.indexOf(0, start + offset);
    if (end < 0) return E.left(elfError(file, "malformed", `${what}: the string at offset ${offset} has no NUL`));
    return E.right(text(bytes, start + offset, end - start - offset));
  };
  const entries: LdCacheEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = NEW_HEADER + i * NEW_ENTRY;
    const name = stringAt(view.getUint32(at + 4, little), `entry ${i} name`);
    if (E.isLeft(name)) return name;
    const path = stringAt(view.getUint32(at + 8, little), `entry ${i} path`);
    if (E.isLeft(path)) return path;
    entries.push({ name: name.right, path: path.right, flags: view.getInt32(at, little), hwcap: view.getBigUint64(at + 16, little) });
  }
  return E.right(entries);
};

/**
 * The path the loader takes from the cache for `name`: the first entry of that name whose flags
 * are one of `flags` (the program's architecture, glibc's `_dl_cache_check_flags`) and whose
 * hwcap is 0. Entries for glibc-hwcaps subfolders (x86-64-v3…) are passed over, as the folders
 * themselves are (see loaderConfig.ts).
 */
export const lookupLdCache = (entries: readonly LdCacheEntry[], name: string, flags: readonly number[]): string | undefined =>
  entries.find((e) => e.name === name && flags.includes(e.flags) && e.hwcap === 0n)?.path;
