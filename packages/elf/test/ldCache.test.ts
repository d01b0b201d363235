import * as E from "fp-ts/lib/Either.js";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lookupLdCache, parseLdCache } from "../src/index.ts";
import { makeLdCache } from "./fixtures/makeLdCache.ts";

const X86_64 = [0x0303];
const FILE = "/etc/ld.so.cache";

describe("parseLdCache reads glibc's ld.so.cache (format 1.1)", () => {
  it("this machine's cache holds exactly what `ldconfig -p` lists, in its order", () => {
    const parsed = parseLdCache(readFileSync(FILE), FILE);
    if (E.isLeft(parsed)) throw new Error(parsed.left.message);
    const listed = execFileSync("ldconfig", ["-p"], { encoding: "utf8" })
      .split("\n")
      .flatMap((line) => {
        const m = /^\t(\S+) \(([^)]*)\) => (.+)$/.exec(line);
        return m === null ? [] : [{ name: m[1], kinds: m[2], path: m[3] }];
      });
    expect(listed.length).toBeGreaterThan(10);
    expect(parsed.right.map((e) => [e.name, e.path])).toEqual(listed.map((l) => [l.name, l.path]));
    // Every entry is labelled "libc6,x86-64" by ldconfig: flags 0x0303, no hwcap.
    for (const [i, l] of listed.entries()) if (l.kinds === "libc6,x86-64") expect(parsed.right[i]).toMatchObject({ flags: 0x0303, hwcap: 0n });
  });

  it("the lookup takes the x86-64 baseline entry, passing over other architectures and hwcap entries", () => {
    const cache = makeLdCache([
      { name: "libc.so.6", path: "/lib/i386-linux-gnu/libc.so.6", flags: 0x0003 },
      { name: "libc.so.6", path: "/libx32/libc.so.6", flags: 0x0803 },
      { name: "libc.so.6", path: "/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libc.so.6", hwcap: (1n << 62n) | 1n },
      { name: "libc.so.6", path: "/usr/lib/x86_64-linux-gnu/libc.so.6" },
      { name: "libc.so.6", path: "/lib/x86_64-linux-gnu/libc.so.6" },
    ]);
    const entries = parseLdCache(cache, "t");
    expect(E.map((es: Parameters<typeof lookupLdCache>[0]) => lookupLdCache(es, "libc.so.6", X86_64))(entries)).toEqual(E.right("/usr/lib/x86_64-linux-gnu/libc.so.6"));
    expect(E.map((es: Parameters<typeof lookupLdCache>[0]) => lookupLdCache(es, "libc.so.6", [0x0001, 0x0003]))(entries)).toEqual(E.right("/lib/i386-linux-gnu/libc.so.6"));
    expect(E.map((es: Parameters<typeof lookupLdCache>[0]) => lookupLdCache(es, "libm.so.6", X86_64))(entries)).toEqual(E.right(undefined));
  });

  it("reads a big-endian cache by its byte-order flag", () => {
    expect(parseLdCache(makeLdCache([{ name: "liba.so", path: "/a/liba.so" }], false), "t")).toEqual(E.right([{ name: "liba.so", path: "/a/liba.so", flags: 0x0303, hwcap: 0n }]));
  });

  const good = makeLdCache([{ name: "liba.so", path: "/a/liba.so" }]);
  const patch = (offset: number, value: number): Buffer => {
    const copy = Buffer.from(good);
    copy.writeUInt32LE(value, offset);
    return copy;
  };
  it.each([
    ["an empty file", Buffer.alloc(0), /not a glibc ld.so.cache in format 1.1/],
    ["the old format alone", Buffer.from("ld.so-1.7.0\0\0\0\0\0"), /not a glibc ld.so.cache in format 1.1 \(no "glibc-ld.so.cache1.1" at offset 16\)/],
    ["an old table whose count runs past the end", Buffer.concat([Buffer.from("ld.so-1.7.0\0"), Buffer.from([0xff, 0xff, 0xff, 0x0f])]), /old-format entry count 268435455 runs past the end/],
    ["a header cut short", good.subarray(0, 30), /truncated ld.so.cache header \(30 of 48 bytes\)/],
    ["an entry count past the end", patch(20, 0x7fffffff), /declares 2147483647 entries/],
    ["a name offset past the end", patch(48 + 4, 1 << 30), /entry 0 name: string offset 1073741824 lies past the end/],
    ["a path without its NUL", good.subarray(0, good.length - 1), /entry 0 path: the string at offset \d+ has no NUL/],
    ["an invalid byte order", (() => { const c = Buffer.from(good); c[28] = 1; return c; })(), /byte order is invalid/],
  ])("%s is an error naming the file", (_name, bytes, message) => {
    const result = parseLdCache(bytes, "/root/etc/ld.so.cache");
    expect(result).toMatchObject(E.left({ file: "/root/etc/ld.so.cache" }));
    if (E.isLeft(result)) expect(result.left.message).toMatch(message);
  });
});
