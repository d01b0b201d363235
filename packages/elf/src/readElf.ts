import * as E from "fp-ts/lib/Either.js";
import type { ByteSource } from "./ByteSource.ts";
import { slice } from "./ByteSource.ts";
import { readDynamic } from "./readDynamic.ts";
import type { ElfError } from "./ElfError.ts";
import { elfError } from "./ElfError.ts";
import type { ElfInfo } from "./ElfInfo.ts";
import { fieldReader, hex } from "./fieldReader.ts";
import type { Segment } from "./fieldReader.ts";

const MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const; // "\x7fELF"
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PN_XNUM = 0xffff;
const PATH_MAX = 4096; // the longest interpreter path the kernel accepts, NUL included

const typeName = (type: number): string =>
  ({ 0: "a file of no type (ET_NONE)", 1: "a relocatable object (ET_REL)", 4: "a core dump (ET_CORE)" })[type] ?? `a file of type ${type}`;

/**
 * Reads the ELF header, the program headers and, through PT_INTERP and PT_DYNAMIC, what the
 * dynamic loader needs (System V gABI, both classes, both byte orders). Sections are never read:
 * the loader does not read them either. Every count and offset is checked against the file's
 * size before use, so a truncated or hostile file gives an ElfError naming `file`, never an
 * exception or a long loop; at most a few KiB plus the dynamic table and its strings are read.
 */
export const readElf = (source: ByteSource, file: string): E.Either<ElfError, ElfInfo> => {
  const head = source.read(0, Math.min(source.size, 64));
  if (head.length < 4 || MAGIC.some((b, i) => head[i] !== b))
    return E.left(elfError(file, "not-elf", `not an ELF file (it starts with ${[...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ") || "nothing"}, not 7f 45 4c 46)`));
  if (head.length < 16) return E.left(elfError(file, "truncated", `truncated ELF identification (${head.length} of 16 bytes)`));
  const elfClass = head[4] === 1 ? 32 : head[4] === 2 ? 64 : undefined;
  if (elfClass === undefined) return E.left(elfError(file, "malformed", `unknown ELF class ${head[4]} (expected 1 for 32-bit or 2 for 64-bit)`));
  const little = head[5] === 1 ? true : head[5] === 2 ? false : undefined;
  if (little === undefined) return E.left(elfError(file, "malformed", `unknown ELF byte order ${head[5]} (expected 1 little-endian or 2 big-endian)`));
  if (head[6] !== 1) return E.left(elfError(file, "unsupported", `unknown ELF version ${head[6]} (expected 1)`));
  const headerSize = elfClass === 64 ? 64 : 52;
  if (head.length < headerSize) return E.left(elfError(file, "truncated", `truncated ELF header (${head.length} of ${headerSize} bytes)`));

  const f = fieldReader(head, elfClass, little);
  const type = f.u16(16);
  if (type !== 2 && type !== 3) return E.left(elfError(file, "unsupported", `${typeName(type)}, not a program or shared library`));
  const machine = f.u16(18);
  const w = elfClass === 64 ? 8 : 4;
  const phoff = f.word(24 + w);
  const phentsize = f.u16(elfClass === 64 ? 54 : 42);
  const phnum = f.u16(elfClass === 64 ? 56 : 44);
  const base = { elfClass, endianness: little ? "little" : "big", machine, type: type === 2 ? "executable" : "shared object" } as const;
  if (phnum === 0) return E.right(base);
  if (phnum === PN_XNUM) return E.left(elfError(file, "unsupported", "more than 65534 program headers (PN_XNUM)"));
  if (phoff === undefined) return E.left(elfError(file, "malformed", "program header offset does not fit in 53 bits"));
  const entrySize = elfClass === 64 ? 56 : 32;
  if (phentsize !== entrySize) return E.left(elfError(file, "malformed", `program header size ${phentsize} (expected ${entrySize} for ELF${elfClass})`));

  const table = slice(source, file, phoff, phnum * entrySize, `program header table (${phnum} entries)`);
  if (E.isLeft(table)) return table;
  const t = fieldReader(table.right, elfClass, little);
  const loads: Segment[] = [];
  const interps: Segment[] = [];
  const dynamics: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = i * entrySize;
    const segment = t.segment(at);
    if (segment === undefined) return E.left(elfError(file, "malformed", `program header ${i}: an offset, address or size does not fit in 53 bits`));
    const kind = t.u32(at);
    if (kind === PT_LOAD) loads.push(segment);
    else if (kind === PT_INTERP) interps.push(segment);
    else if (kind === PT_DYNAMIC) dynamics.push(segment);
  }
  if (interps.length > 1) return E.left(elfError(file, "malformed", `${interps.length} PT_INTERP program headers (expected at most one)`));
  if (dynamics.length > 1) return E.left(elfError(file, "malformed", `${dynamics.length} PT_DYNAMIC program headers (expected at most one)`));

  let interpreter: string | undefined;
  const interp = interps[0];
  if (interp !== undefined) {
    if (interp.filesz > PATH_MAX) return E.left(elfError(file, "malformed", `PT_INTERP of ${interp.filesz} bytes (a path has at most ${PATH_MAX})`));
    const bytes = slice(source, file, interp.offset, interp.filesz, "PT_INTERP");
    if (E.isLeft(bytes)) return bytes;
    const end = bytes.right.indexOf(0);
    if (end <= 0) return E.left(elfError(file, "malformed", end === 0 ? "PT_INTERP is an empty path" : `PT_INTERP at ${hex(interp.offset)} is not NUL-terminated`));
    interpreter = Buffer.from(bytes.right.subarray(0, end)).toString("utf8");
  }
  const dynamicSegment = dynamics[0];
  if (dynamicSegment === undefined) return E.right({ ...base, ...(interpreter === undefined ? {} : { interpreter }) });
  const dynamic = readDynamic(source, file, { elfClass, little }, dynamicSegment, loads);
  if (E.isLeft(dynamic)) return dynamic;
  return E.right({ ...base, ...(interpreter === undefined ? {} : { interpreter }), dynamic: dynamic.right });
};
