import * as E from "fp-ts/lib/Either.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bufferSource, readElf, withFileSource } from "../src/index.ts";
import type { ElfProblem } from "../src/index.ts";
import { makeElf, patched } from "./fixtures/makeElf.ts";

const FILE = "/test/hostile.so";
const read = (bytes: Uint8Array) => readElf(bufferSource(bytes), FILE);

describe("readElf reads what the loader needs, in both classes and byte orders", () => {
  const shapes = [
    { elfClass: 64, endianness: "little", machine: 62 },
    { elfClass: 64, endianness: "big", machine: 43 }, // SPARC V9
    { elfClass: 32, endianness: "little", machine: 3 }, // i386
    { elfClass: 32, endianness: "big", machine: 8 }, // MIPS
  ] as const;
  it.each(shapes)("ELF$elfClass $endianness-endian", (shape) => {
    const { bytes } = makeElf({
      ...shape,
      interpreter: "/lib/ld.so.1",
      needed: ["libjq.so.1", "libc.so.6"],
      soname: "libself.so.1",
      rpath: "/opt/r",
      runpath: "$ORIGIN/../lib:/opt/lib",
      flags1: 0x800,
    });
    expect(read(bytes)).toEqual(
      E.right({
        ...shape,
        type: "shared object",
        interpreter: "/lib/ld.so.1",
        dynamic: { needed: ["libjq.so.1", "libc.so.6"], soname: "libself.so.1", rpath: "/opt/r", runpath: "$ORIGIN/../lib:/opt/lib", noDefaultLib: true },
      }),
    );
  });

  it("a static program has neither interpreter nor dynamic section", () => {
    expect(read(makeElf({ type: 2 }).bytes)).toEqual(E.right({ elfClass: 64, endianness: "little", machine: 62, type: "executable" }));
  });

  it("reads this machine's jq: its interpreter and DT_NEEDED, as the loader sees them", () => {
    const jq = withFileSource("/usr/bin/jq", (s) => readElf(s, "/usr/bin/jq"));
    expect(jq).toMatchObject(E.right({ elfClass: 64, endianness: "little", machine: 62, interpreter: "/lib64/ld-linux-x86-64.so.2", dynamic: { needed: ["libjq.so.1", "libc.so.6"] } }));
  });
});

// Offsets in the 64-bit little-endian base file below.
const base = makeElf({ interpreter: "/lib64/ld-linux-x86-64.so.2", needed: ["liba.so.1", "libb.so.2"], soname: "libself.so", runpath: "$ORIGIN/../lib" });
const { layout } = base;
const interp = layout.interp as NonNullable<typeof layout.interp>;
const dyn = layout.dynamic as NonNullable<typeof layout.dynamic>;
const entry = (i: number, value = false): number => dyn.offset + i * dyn.entsize + (value ? 8 : 0); // NEEDED, NEEDED, SONAME, RUNPATH, STRTAB, STRSZ, NULL
const b = base.bytes;

// The PT_LOAD stretched over three trailing bytes "ABC", the string table moved onto them, DT_STRSZ huge.
const runsOffTheEnd = (): Buffer => {
  const longer = Buffer.concat([b, Buffer.from("ABC")]);
  const stretched = patched(longer, layout.phoff + 32, 8, longer.length);
  return patched(patched(stretched, entry(4, true), 8, layout.base + b.length), entry(5, true), 8, 1 << 30);
};

const hostile: readonly (readonly [string, Uint8Array, ElfProblem, RegExp])[] = [
  ["an empty file", Buffer.alloc(0), "not-elf", /not an ELF file \(it starts with nothing/],
  ["a shell script", Buffer.from("#!/bin/sh\necho hi\n"), "not-elf", /starts with 23 21 2f 62, not 7f 45 4c 46/],
  ["the magic alone", b.subarray(0, 4), "truncated", /truncated ELF identification \(4 of 16/],
  ["an unknown class", patched(b, 4, 1, 3), "malformed", /unknown ELF class 3/],
  ["an unknown byte order", patched(b, 5, 1, 0), "malformed", /unknown ELF byte order 0/],
  ["an unknown version", patched(b, 6, 1, 2), "unsupported", /unknown ELF version 2/],
  ["a header cut short", b.subarray(0, 40), "truncated", /truncated ELF header \(40 of 64/],
  ["a 64-bit header claiming 32-bit class, cut short", patched(b.subarray(0, 30), 4, 1, 1), "truncated", /truncated ELF header \(30 of 52/],
  ["a relocatable object", patched(b, 16, 2, 1), "unsupported", /relocatable object \(ET_REL\), not a program or shared library/],
  ["a core dump", patched(b, 16, 2, 4), "unsupported", /core dump/],
  ["a program header offset past 2^53", patched(b, 32, 8, 1n << 60n), "malformed", /program header offset does not fit in 53 bits/],
  ["a program header offset past the end", patched(b, 32, 8, 1 << 30), "malformed", /program header table \(3 entries\) \(offset 1073741824, 168 bytes\) lies past the end of the file/],
  ["PN_XNUM program headers", patched(b, 56, 2, 0xffff), "unsupported", /PN_XNUM/],
  ["65534 program headers in a small file", patched(b, 56, 2, 0xfffe), "truncated", /program header table \(65534 entries\).*lies past the end/],
  ["a wrong program header size", patched(b, 54, 2, 40), "malformed", /program header size 40 \(expected 56 for ELF64\)/],
  ["program headers cut short", b.subarray(0, layout.phoff + 100), "truncated", /program header table/],
  ["a PT_INTERP larger than any path", patched(b, interp.header + 32, 8, 1 << 20), "malformed", /PT_INTERP of 1048576 bytes/],
  ["a PT_INTERP past the end", patched(b, interp.header + 8, 8, b.length + 10), "malformed", /PT_INTERP .* lies past the end/],
  ["a PT_INTERP size past 2^53", patched(b, interp.header + 32, 8, 1n << 63n), "malformed", /program header 1: an offset, address or size does not fit in 53 bits/],
  ["a PT_INTERP without its NUL", patched(b, interp.offset + interp.size - 1, 1, 0x41), "malformed", /PT_INTERP at 0x[0-9a-f]+ is not NUL-terminated/],
  ["an empty PT_INTERP", patched(b, interp.offset, 1, 0), "malformed", /PT_INTERP is an empty path/],
  ["a PT_DYNAMIC of a gigabyte", patched(b, dyn.header + 32, 8, 1 << 30), "malformed", /PT_DYNAMIC of 1073741824 bytes/],
  ["a PT_DYNAMIC past the end", patched(b, dyn.header + 8, 8, b.length - 8), "truncated", /PT_DYNAMIC .* lies past the end/],
  ["a dynamic section without DT_NULL", patched(b, entry(6), 8, 0x42), "malformed", /no DT_NULL entry/],
  ["a DT_STRTAB outside every PT_LOAD", patched(b, entry(4, true), 8, 0x10), "malformed", /DT_STRTAB address 0x10 lies in no PT_LOAD segment/],
  ["no DT_STRTAB at all", patched(b, entry(4), 8, 0x7000_0000), "malformed", /names libraries but has no DT_STRTAB/],
  ["a DT_NEEDED past the string table", patched(b, entry(1, true), 8, 10_000), "malformed", /DT_NEEDED\[1\]: string offset 10000 lies outside the string table/],
  ["a string table cut before a NUL", patched(b, entry(5, true), 8, layout.strtab.size - 2), "malformed", /DT_RUNPATH: the string at table offset \d+ has no NUL/],
  ["a DT_NEEDED naming the empty string", patched(b, entry(0, true), 8, 0), "malformed", /DT_NEEDED\[0\] is an empty name/],
  ["a string that runs off the end of the file", runsOffTheEnd(), "malformed", /DT_NEEDED\[0\]: the string at table offset 1 has no NUL within 2 bytes/],
  ["two PT_DYNAMIC headers", patched(b, interp.header, 4, 2), "malformed", /2 PT_DYNAMIC program headers/],
  ["two PT_INTERP headers", patched(b, dyn.header, 4, 3), "malformed", /2 PT_INTERP program headers/],
];

describe("a hostile file gives an error naming it, never an exception", () => {
  it.each(hostile)("%s", (_name, bytes, problem, message) => {
    const result = read(bytes);
    expect(result).toMatchObject(E.left({ _tag: "ElfError", file: FILE, problem }));
    if (E.isLeft(result)) expect(result.left.message).toMatch(message);
  });

  it("a DT_STRTAB pointing into the dynamic section itself reads bytes there, and says what it found", () => {
    const self = patched(b, entry(4, true), 8, layout.base + dyn.offset);
    const result = read(self);
    // Whatever the bytes there spell, the answer is a value: names or a clear error.
    expect(E.isLeft(result) ? result.left.file : "read").toMatch(/hostile|read/);
  });

  it("any truncation or byte flip of a valid file of any class gives a value, never an exception", () => {
    const variants = ([64, 32] as const).flatMap((elfClass) => (["little", "big"] as const).map((endianness) => makeElf({ elfClass, endianness, interpreter: "/lib/ld.so", needed: ["a.so", "b.so"], runpath: "/x" }).bytes));
    fc.assert(
      fc.property(fc.constantFrom(...variants), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (bytes, cut, flips) => {
        const copy = Buffer.from(bytes.subarray(0, cut % (bytes.length + 1)));
        for (const [at, value] of flips) if (copy.length > 0) copy[at % copy.length] = value;
        const result = read(copy);
        expect(E.isLeft(result) ? result.left.file : FILE).toBe(FILE);
      }),
      { numRuns: 3000 },
    );
  });
});
