import * as E from "fp-ts/lib/Either.js";
import type { ByteSource } from "./ByteSource.ts";
import { slice } from "./ByteSource.ts";
import type { ElfError } from "./ElfError.ts";
import { elfError } from "./ElfError.ts";
import type { DynamicInfo } from "./ElfInfo.ts";
import { fieldReader, hex } from "./fieldReader.ts";
import type { Segment } from "./fieldReader.ts";

const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const DT_FLAGS_1 = 0x6ffffffb;
const DF_1_NODEFLIB = 0x800;

// Bounds no linker comes near; past them the file is hostile and reading it would cost memory.
const MAX_DYNAMIC_BYTES = 1 << 20;
const MAX_STRING_BYTES = 4096; // a name or search path longer than PATH_MAX is useless to the loader

/**
 * The dynamic section (PT_DYNAMIC) up to DT_NULL, and the strings its DT_NEEDED, DT_SONAME,
 * DT_RPATH and DT_RUNPATH name. Those are offsets into the string table at DT_STRTAB, a
 * run-time address, found in the file through the PT_LOAD segment that maps it (as the loader
 * would see it in memory). When a tag repeats, the last one counts (as glibc's loader does),
 * except DT_NEEDED, which lists every library in order.
 */
export const readDynamic = (
  source: ByteSource,
  file: string,
  format: { readonly elfClass: 32 | 64; readonly little: boolean },
  dynamic: Segment,
  loads: readonly Segment[],
): E.Either<ElfError, DynamicInfo> => {
  if (dynamic.filesz > MAX_DYNAMIC_BYTES) return E.left(elfError(file, "malformed", `PT_DYNAMIC of ${dynamic.filesz} bytes (at most ${MAX_DYNAMIC_BYTES} expected)`));
  const bytes = slice(source, file, dynamic.offset, dynamic.filesz, "PT_DYNAMIC");
  if (E.isLeft(bytes)) return bytes;
  const f = fieldReader(bytes.right, format.elfClass, format.little);
  const size = format.elfClass === 64 ? 16 : 8;
  const needed: number[] = [];
  const last = new Map<number, number>();
  let terminated = false;
  for (let at = 0; at + size <= bytes.right.length; at += size) {
    const tag = f.word(at);
    const value = f.word(at + size / 2);
    if (tag === DT_NULL) {
      terminated = true;
      break;
    }
    if (tag === undefined || value === undefined) continue; // processor- or OS-specific tags past 2^53 matter not here
    if (tag === DT_NEEDED) needed.push(value);
    else last.set(tag, value);
  }
  if (!terminated) return E.left(elfError(file, "malformed", "the dynamic section has no DT_NULL entry ending it"));
  const noDefaultLib = ((last.get(DT_FLAGS_1) ?? 0) & DF_1_NODEFLIB) !== 0;
  const wanted = [DT_SONAME, DT_RPATH, DT_RUNPATH].filter((t) => last.has(t));
  if (needed.length === 0 && wanted.length === 0) return E.right({ needed: [], noDefaultLib });

  const strtab = last.get(DT_STRTAB);
  if (strtab === undefined) return E.left(elfError(file, "malformed", "the dynamic section names libraries but has no DT_STRTAB"));
  const load = loads.find((l) => strtab >= l.vaddr && strtab < l.vaddr + l.filesz);
  if (load === undefined) return E.left(elfError(file, "malformed", `DT_STRTAB address ${hex(strtab)} lies in no PT_LOAD segment`));
  const tableOffset = load.offset + (strtab - load.vaddr);
  // The table ends at DT_STRSZ, or at the end of the segment's bytes in the file, whichever comes first.
  const tableSize = Math.min(last.get(DT_STRSZ) ?? Number.MAX_SAFE_INTEGER, load.vaddr + load.filesz - strtab);

  const stringAt = (offset: number, what: string): E.Either<ElfError, string> => {
    if (offset >= tableSize) return E.left(elfError(file, "malformed", `${what}: string offset ${offset} lies outside the string table (${tableSize} bytes)`));
    const length = Math.min(MAX_STRING_BYTES, tableSize - offset, Math.max(0, source.size - (tableOffset + offset)));
    const bytes = slice(source, file, tableOffset + offset, length, `${what} string`);
    if (E.isLeft(bytes)) return bytes;
    const end = bytes.right.indexOf(0);
    if (end < 0) return E.left(elfError(file, "malformed", `${what}: the string at table offset ${offset} has no NUL within ${length} bytes`));
    return E.right(Buffer.from(bytes.right.subarray(0, end)).toString("utf8"));
  };
  const names: string[] = [];
  for (const [i, offset] of needed.entries()) {
    const name = stringAt(offset, `DT_NEEDED[${i}]`);
    if (E.isLeft(name)) return name;
    if (name.right === "") return E.left(elfError(file, "malformed", `DT_NEEDED[${i}] is an empty name`));
    names.push(name.right);
  }
  const strings: { [k in "soname" | "rpath" | "runpath"]?: string } = {};
  for (const [tag, key] of [[DT_SONAME, "soname"], [DT_RPATH, "rpath"], [DT_RUNPATH, "runpath"]] as const) {
    const offset = last.get(tag);
    if (offset === undefined) continue;
    const value = stringAt(offset, `DT_${key.toUpperCase()}`);
    if (E.isLeft(value)) return value;
    strings[key] = value.right;
  }
  return E.right({ needed: names, noDefaultLib, ...strings });
};
