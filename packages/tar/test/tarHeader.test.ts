import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { TarEntry } from "../src/index.ts";
import {
  archiveName,
  directoryEntry,
  encodeNumericField,
  encodeTarHeader,
  END_OF_ARCHIVE,
  fileEntry,
  hardLinkEntry,
  symlinkEntry,
  tarPadding,
  tarPaddingSize,
  validateTarEntry,
} from "../src/index.ts";

const b = (s: string): Buffer => Buffer.from(s, "latin1");
const text = (bytes: Uint8Array, from: number, to: number): string => Buffer.from(bytes.subarray(from, to)).toString("latin1");
const meta = { mode: 0o755, uid: 0, gid: 0, mtime: 1_700_000_000 };

const fields = (block: Uint8Array): Record<string, string> => ({
  name: text(block, 0, 100).replace(/\0+$/, ""),
  mode: text(block, 100, 108),
  uid: text(block, 108, 116),
  gid: text(block, 116, 124),
  size: text(block, 124, 136),
  mtime: text(block, 136, 148),
  chksum: text(block, 148, 156),
  typeflag: text(block, 156, 157),
  linkname: text(block, 157, 257).replace(/\0+$/, ""),
  magic: text(block, 257, 265),
  rest: text(block, 265, 512).replace(/\0/g, ""),
});

describe("tar header encoding (GNU format)", () => {
  it("encodes a file header like GNU tar: octal fields with a NUL, 'ustar  \\0', empty uname/gname", () => {
    const block = encodeTarHeader(fileEntry(b("bin/sh"), meta, 5));
    expect(block.length).toBe(512);
    expect(fields(block)).toEqual({
      name: "./bin/sh",
      mode: "0000755\0",
      uid: "0000000\0",
      gid: "0000000\0",
      size: "00000000005\0",
      mtime: "14524770400\0",
      chksum: "007207\0 ", // GNU tar 1.34 writes this exact block
      typeflag: "0",
      linkname: "",
      magic: "ustar  \0",
      rest: "",
    });
  });

  it("computes the checksum over unsigned bytes with the checksum field as spaces", () => {
    const block = encodeTarHeader(fileEntry(b("\xff\xfe"), meta, 0));
    const copy = Buffer.from(block);
    copy.fill(0x20, 148, 156);
    const sum = copy.reduce((s, x) => s + x, 0);
    expect(fields(block).chksum).toBe(`${sum.toString(8).padStart(6, "0")}\0 `);
  });

  it("names the root './', directories with a trailing '/', everything else './path'", () => {
    expect(text(archiveName(directoryEntry(b(""), meta)), 0, 10)).toBe("./");
    expect(text(archiveName(directoryEntry(b("usr/lib"), meta)), 0, 10)).toBe("./usr/lib/");
    expect(text(archiveName(fileEntry(b("usr/lib"), meta, 0)), 0, 10)).toBe("./usr/lib");
  });

  it("writes type flags 0, 1, 2 and 5, symlink targets verbatim and hard link targets as './path'", () => {
    const h = fields(encodeTarHeader(hardLinkEntry(b("b"), meta, b("a"))));
    const s = fields(encodeTarHeader(symlinkEntry(b("s"), meta, b("../t"))));
    const d = fields(encodeTarHeader(directoryEntry(b("d"), meta)));
    expect([h.typeflag, h.linkname, h.size]).toEqual(["1", "./a", "00000000000\0"]);
    expect([s.typeflag, s.linkname]).toEqual(["2", "../t"]);
    expect([d.typeflag, d.name]).toEqual(["5", "./d/"]);
  });

  it("keeps names of up to 100 bytes in the header and puts longer ones in a ././@LongLink 'L' record", () => {
    const exactly100 = encodeTarHeader(fileEntry(b("x".repeat(98)), meta, 0));
    expect(exactly100.length).toBe(512);
    expect(text(exactly100, 0, 100)).toBe(`./${"x".repeat(98)}`);

    const long = `./${"y".repeat(99)}`;
    const blocks = encodeTarHeader(fileEntry(b("y".repeat(99)), meta, 0));
    expect(blocks.length).toBe(3 * 512);
    expect(fields(blocks.subarray(0, 512))).toEqual({
      name: "././@LongLink",
      mode: "0000644\0",
      uid: "0000000\0",
      gid: "0000000\0",
      size: "00000000146\0", // 101 bytes + NUL
      mtime: "00000000000\0",
      chksum: "007774\0 ",
      typeflag: "L",
      linkname: "",
      magic: "ustar  \0",
      rest: "",
    });
    expect(text(blocks, 512, 1024)).toBe(`${long}\0`.padEnd(512, "\0"));
    expect(text(blocks, 1024, 1124)).toBe(long.slice(0, 100));
  });

  it("writes a 'K' record for link targets over 100 bytes, before the 'L' record", () => {
    const blocks = encodeTarHeader(symlinkEntry(b("n".repeat(120)), meta, b("t".repeat(101))));
    expect([text(blocks, 156, 157), text(blocks, 1024 + 156, 1024 + 157)]).toEqual(["K", "L"]);
    expect(text(blocks, 512, 614)).toBe(`${"t".repeat(101)}\0`);
    expect(fields(blocks.subarray(2048)).linkname).toBe("t".repeat(100));
  });

  it("ignores --owner and --mtime in ././@LongLink records (always uid 0, gid 0, mtime 0)", () => {
    const blocks = encodeTarHeader(fileEntry(b("z".repeat(200)), { mode: 0o4755, uid: 3_000_000, gid: 7, mtime: -5 }, 1));
    expect(Buffer.from(blocks.subarray(0, 512)).equals(Buffer.from(encodeTarHeader(fileEntry(b("z".repeat(200)), meta, 0)).subarray(0, 512)))).toBe(true);
  });

  it.each([
    ["a small size", 5n, 12, "00000000005\0"],
    ["8 GiB - 1, the largest octal size", 8n * 1024n ** 3n - 1n, 12, "77777777777\0"],
    ["the largest octal id", 2_097_151n, 8, "7777777\0"],
  ])("writes %s in octal", (_label, value, width, expected) => {
    expect(text(encodeNumericField(value, width), 0, width)).toBe(expected);
  });

  it.each([
    ["8 GiB, the smallest base-256 size", 8n * 1024n ** 3n, 12, "800000000000000200000000"],
    ["9 GiB", 9n * 1024n ** 3n, 12, "800000000000000240000000"],
    ["uid 2^21", 2_097_152n, 8, "8000000000200000"],
    ["uid 4294967294", 4_294_967_294n, 8, "80000000fffffffe"],
    ["mtime -1", -1n, 12, "ffffffffffffffffffffffff"],
    ["mtime -2^33", -8_589_934_592n, 12, "fffffffffffffffe00000000"],
  ])("writes %s in GNU base-256", (_label, value, width, hex) => {
    expect(Buffer.from(encodeNumericField(value, width)).toString("hex")).toBe(hex);
  });

  it("pads file data to whole 512-byte blocks and ends with two zero blocks", () => {
    expect([0, 1, 511, 512, 513].map((n) => tarPaddingSize(n))).toEqual([0, 511, 1, 0, 511]);
    expect(tarPaddingSize(9n * 1024n ** 3n + 1n)).toBe(511);
    expect(tarPadding(3).every((x) => x === 0) && tarPadding(3).length === 509).toBe(true);
    expect(END_OF_ARCHIVE.length === 1024 && END_OF_ARCHIVE.every((x) => x === 0)).toBe(true);
  });
});

describe("tar entry validation", () => {
  const valid: readonly TarEntry[] = [
    directoryEntry(b(""), meta),
    fileEntry(b("a/b c/\xff"), { mode: 0o7777, uid: 4_294_967_294, gid: 0, mtime: -1 }, 2n ** 63n - 1n),
    symlinkEntry(b("s"), meta, b("/abs/../x")),
    hardLinkEntry(b("h"), meta, b("a/b")),
  ];
  it("accepts what GNU tar can write", () => {
    for (const entry of valid) expect(validateTarEntry(entry)).toEqual(E.right(entry));
  });

  it("refuses a root that is not a directory, and paths with empty, '.' or '..' components", () => {
    for (const entry of [fileEntry(b(""), meta, 0), fileEntry(b("a//b"), meta, 0), fileEntry(b("a/./b"), meta, 0), directoryEntry(b(".."), meta), hardLinkEntry(b("h"), meta, b("../x"))])
      expect(E.isLeft(validateTarEntry(entry))).toBe(true);
  });
});
