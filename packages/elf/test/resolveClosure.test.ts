import * as E from "fp-ts/lib/Either.js";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { formatClosureError, resolveClosure } from "../src/index.ts";
import type { Closure } from "../src/index.ts";
import type { ElfShape } from "./fixtures/makeElf.ts";
import { fakeRoot } from "./fixtures/fakeRoot.ts";
import { makeElf } from "./fixtures/makeElf.ts";
import { makeLdCache } from "./fixtures/makeLdCache.ts";

const INTERP = "/lib64/ld-linux-x86-64.so.2";
const elf = (shape: ElfShape): Buffer => makeElf(shape).bytes;
const lib = (soname: string, shape: ElfShape = {}): Buffer => elf({ soname, ...shape });
const program = (shape: ElfShape): Buffer => elf({ type: 3, interpreter: INTERP, ...shape });
// The interpreter as Debian ships it: a link in /lib64 to the file in the multiarch folder.
const loader = { [INTERP]: { link: "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" }, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2": lib("ld-linux-x86-64.so.2") };

/** What ldd would print: each loaded library's first name and the path it was found at. */
const found = (closure: Closure): readonly string[] => closure.objects.filter((o) => o.requests[0]?.foundBy !== "interpreter").map((l) => `${l.requests[0]?.name} => ${l.requests[0]?.path} (${l.requests[0]?.foundBy})`);
const resolved = (root: string, options: { readonly dlopen?: readonly string[]; readonly destination?: string } = {}): Closure => {
  const result = resolveClosure("/bin/prog", options.destination ?? "/bin/prog", { root, ...(options.dlopen === undefined ? {} : { dlopen: options.dlopen }) });
  if (E.isLeft(result)) throw new Error(formatClosureError(result.left));
  return result.right;
};
const failure = (root: string, dlopen?: readonly string[]): string => {
  const result = resolveClosure("/bin/prog", "/bin/prog", { root, ...(dlopen === undefined ? {} : { dlopen }) });
  return E.isLeft(result) ? formatClosureError(result.left) : "resolved";
};

describe("resolveClosure follows glibc's loader", () => {
  it("loads the interpreter, then DT_NEEDED breadth-first, each name once, keeping symlink chains", () => {
    const root = fakeRoot({
      ...loader,
      "/bin/prog": program({ needed: ["liba.so.1", "libc.so.6"] }),
      "/lib/x86_64-linux-gnu/liba.so.1": { link: "liba.so.1.2" },
      "/lib/x86_64-linux-gnu/liba.so.1.2": { link: "liba.so.1.2.3" },
      "/lib/x86_64-linux-gnu/liba.so.1.2.3": lib("liba.so.1", { needed: ["libb.so.1", "libc.so.6"] }),
      "/lib/x86_64-linux-gnu/libb.so.1": lib("libb.so.1", { needed: ["liba.so.1"] }), // a cycle back to liba
      "/lib/x86_64-linux-gnu/libc.so.6": lib("libc.so.6", { needed: ["ld-linux-x86-64.so.2"] }), // matched by the interpreter's DT_SONAME
    });
    const closure = resolved(root);
    expect(found(closure)).toEqual([
      "liba.so.1 => /lib/x86_64-linux-gnu/liba.so.1 (default path)",
      "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (default path)",
      "libb.so.1 => /lib/x86_64-linux-gnu/libb.so.1 (default path)",
    ]);
    // The interpreter takes its place in the link map where libc's DT_NEEDED names it, as ldd lists it.
    expect(closure.objects.map((o) => o.file.split("/").pop())).toEqual(["liba.so.1.2.3", "libc.so.6", "libb.so.1", "ld-linux-x86-64.so.2"]);
    expect(closure.objects[3]).toMatchObject({ file: "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", links: [{ path: INTERP, target: "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" }] });
    expect(closure.objects[0]).toMatchObject({
      file: "/lib/x86_64-linux-gnu/liba.so.1.2.3",
      source: `${root}/lib/x86_64-linux-gnu/liba.so.1.2.3`,
      links: [
        { path: "/lib/x86_64-linux-gnu/liba.so.1", target: "liba.so.1.2" },
        { path: "/lib/x86_64-linux-gnu/liba.so.1.2", target: "liba.so.1.2.3" },
      ],
    });
  });

  it("DT_RPATH is searched for the needs of everything the program loads (inherited down the chain)", () => {
    const root = fakeRoot({ ...loader, "/bin/prog": program({ rpath: "/opt/r", needed: ["liba.so"] }), "/lib/liba.so": lib("liba.so", { needed: ["libb.so"] }), "/opt/r/libb.so": lib("libb.so") });
    expect(found(resolved(root))).toEqual(["liba.so => /lib/liba.so (default path)", "libb.so => /opt/r/libb.so (rpath)"]);
  });

  it("DT_RUNPATH serves only the object's own needs", () => {
    const root = fakeRoot({ ...loader, "/bin/prog": program({ runpath: "/opt/r", needed: ["liba.so"] }), "/opt/r/liba.so": lib("liba.so", { needed: ["libb.so"] }), "/opt/r/libb.so": lib("libb.so") });
    expect(failure(root)).toBe(
      "closure of /bin/prog: libb.so (needed by /opt/r/liba.so) is not found in ld.so.cache, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib",
    );
  });

  it("DT_RUNPATH hides the object's DT_RPATH, and an object with a RUNPATH stops the RPATH chain for its needs", () => {
    const both = fakeRoot({ ...loader, "/bin/prog": program({ rpath: "/opt/rp", runpath: "/opt/ru", needed: ["libx.so"] }), "/opt/rp/libx.so": lib("libx.so"), "/opt/ru/libx.so": lib("libx.so") });
    expect(found(resolved(both))).toEqual(["libx.so => /opt/ru/libx.so (runpath)"]);
    const chain = fakeRoot({ ...loader, "/bin/prog": program({ rpath: "/opt/r", needed: ["liba.so"] }), "/opt/r/liba.so": lib("liba.so", { runpath: "/opt/a", needed: ["libb.so"] }), "/opt/r/libb.so": lib("libb.so") });
    expect(failure(chain)).toMatch(/libb.so \(needed by \/opt\/r\/liba.so\) is not found in RUNPATH \/opt\/a, ld.so.cache/);
  });

  it("$ORIGIN of the program is its destination's folder in the image; ${ORIGIN} and $LIB expand too", () => {
    const root = fakeRoot({
      ...loader,
      "/bin/prog": program({ runpath: "$ORIGIN/../private:${ORIGIN}/../$LIB", needed: ["libp.so", "libq.so"] }),
      "/private/libp.so": lib("libp.so", { runpath: "$ORIGIN", needed: ["libr.so"] }),
      "/private/libr.so": lib("libr.so"),
      "/lib/x86_64-linux-gnu/libq.so": lib("libq.so"),
    });
    const closure = resolved(root, { destination: "/app/bin/prog" });
    expect(found(closure)).toEqual(["libp.so => /app/private/libp.so (runpath)", "libq.so => /app/lib/x86_64-linux-gnu/libq.so (runpath)", "libr.so => /app/private/libr.so (runpath)"]);
    expect(closure.objects[2]).toMatchObject({ file: "/app/private/libr.so", source: `${root}/private/libr.so` });
  });

  it("$PLATFORM is refused: it names the CPU that will run the image", () => {
    const root = fakeRoot({ ...loader, "/bin/prog": program({ rpath: "/opt/$PLATFORM", needed: ["liba.so"] }) });
    expect(failure(root)).toMatch(/closure of \/bin\/prog: \/bin\/prog: DT_RPATH "\/opt\/\$PLATFORM" uses \$PLATFORM/);
  });

  it("passes over a library of another class or machine, as the loader does", () => {
    const root = fakeRoot({ ...loader, "/bin/prog": program({ runpath: "/opt/r", needed: ["libz.so.1"] }), "/opt/r/libz.so.1": lib("libz.so.1", { elfClass: 32, machine: 3 }), "/usr/lib/libz.so.1": lib("libz.so.1") });
    expect(found(resolved(root))).toEqual(["libz.so.1 => /usr/lib/libz.so.1 (default path)"]);
  });

  it("asks ld.so.cache before the default folders, and links a library the cache finds outside them from /lib/x86_64-linux-gnu", () => {
    const root = fakeRoot({
      ...loader,
      "/etc/ld.so.cache": makeLdCache([
        { name: "libc.so.6", path: "/lib/i386-linux-gnu/libc.so.6", flags: 0x0003 },
        { name: "libc.so.6", path: "/usr/lib/x86_64-linux-gnu/libc.so.6" },
        { name: "libcuda.so.1", path: "/usr/local/cuda/lib/libcuda.so.1" },
      ]),
      "/bin/prog": program({ needed: ["libc.so.6", "libcuda.so.1"] }),
      "/lib/x86_64-linux-gnu/libc.so.6": lib("libc.so.6"),
      "/usr/lib/x86_64-linux-gnu/libc.so.6": lib("libc.so.6"),
      "/usr/local/cuda/lib/libcuda.so.1": lib("libcuda.so.1"),
    });
    const closure = resolved(root);
    expect(found(closure)).toEqual(["libc.so.6 => /usr/lib/x86_64-linux-gnu/libc.so.6 (ld.so.cache)", "libcuda.so.1 => /usr/local/cuda/lib/libcuda.so.1 (ld.so.cache)"]);
    expect(closure.objects[1]?.links).toEqual([{ path: "/lib/x86_64-linux-gnu/libcuda.so.1", target: "/usr/local/cuda/lib/libcuda.so.1" }]);
  });

  it("a DF_1_NODEFLIB object searches neither the cache nor the default folders", () => {
    const root = fakeRoot({ ...loader, "/bin/prog": program({ flags1: 0x800, needed: ["liba.so"] }), "/lib/liba.so": lib("liba.so") });
    expect(failure(root)).toBe("closure of /bin/prog: liba.so (needed by /bin/prog) is not found in any folder");
  });

  it("loads dlopen names last, sonames searched as the program's needs, paths taken whole", () => {
    const root = fakeRoot({
      ...loader,
      "/bin/prog": program({ needed: ["libc.so.6"] }),
      "/lib/x86_64-linux-gnu/libc.so.6": lib("libc.so.6"),
      "/lib/x86_64-linux-gnu/libnss_files.so.2": lib("libnss_files.so.2", { needed: ["libc.so.6", "libnss_extra.so"] }),
      "/lib/x86_64-linux-gnu/libnss_extra.so": lib("libnss_extra.so"),
      "/usr/lib/x86_64-linux-gnu/gconv/UTF-16.so": lib("UTF-16.so"),
    });
    expect(found(resolved(root, { dlopen: ["libnss_files.so.2", "/usr/lib/x86_64-linux-gnu/gconv/UTF-16.so", "libc.so.6"] }))).toEqual([
      "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (default path)",
      "libnss_files.so.2 => /lib/x86_64-linux-gnu/libnss_files.so.2 (default path)",
      "libnss_extra.so => /lib/x86_64-linux-gnu/libnss_extra.so (default path)",
      "/usr/lib/x86_64-linux-gnu/gconv/UTF-16.so => /usr/lib/x86_64-linux-gnu/gconv/UTF-16.so (path)",
    ]);
  });

  it("a missing library names the program, the soname and who needs it", () => {
    const root = fakeRoot({ ...loader, "/bin/prog": program({ needed: ["libgone.so.3"] }) });
    expect(failure(root)).toBe("closure of /bin/prog: libgone.so.3 (needed by /bin/prog) is not found in ld.so.cache, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib");
    expect(failure(fakeRoot({ "/bin/prog": program({}) }))).toBe(`closure of /bin/prog: ${INTERP} (needed by /bin/prog) is not found in ${INTERP}`);
  });

  it("a symlink loop, a library that is a program, a hostile library: errors naming the program", () => {
    const loop = fakeRoot({ ...loader, "/bin/prog": program({ needed: ["libl.so"] }), "/lib/libl.so": { link: "libm.so" }, "/lib/libm.so": { link: "libl.so" } });
    expect(failure(loop)).toBe("closure of /bin/prog: too many symlinks (a loop?) from /lib/libl.so");
    const exec = fakeRoot({ ...loader, "/bin/prog": program({ needed: ["libe.so"] }), "/lib/libe.so": elf({ type: 2 }) });
    expect(failure(exec)).toMatch(/needed as libe.so by \/bin\/prog, but it is a program \(ET_EXEC\)/);
    const text = fakeRoot({ ...loader, "/bin/prog": program({ needed: ["libt.so"] }), "/lib/libt.so": Buffer.from("INPUT(-lfoo)\n") });
    expect(failure(text)).toMatch(/^closure of \/bin\/prog: .*\/lib\/libt.so: not an ELF file \(it starts with 49 4e 50 55/);
  });

  it("a FIFO as the program is refused without opening it (open would wait for a writer)", () => {
    const root = fakeRoot({});
    execFileSync("mkfifo", [path.join(root, "prog")]);
    expect(E.isLeft(resolveClosure("/prog", "/prog", { root })) ? "refused" : "resolved").toBe("refused");
    expect(formatClosureError((resolveClosure("/prog", "/prog", { root }) as E.Left<Parameters<typeof formatClosureError>[0]>).left)).toBe("/prog: not an ELF file: not a regular file");
  });

  it("a static program has an empty closure; a non-ELF program is an error naming it", () => {
    expect(resolved(fakeRoot({ "/bin/prog": elf({ type: 2 }) }))).toEqual({ program: "/bin/prog", destination: "/bin/prog", objects: [] });
    expect(failure(fakeRoot({ "/bin/prog": Buffer.from("#!/bin/sh\n") }))).toBe("/bin/prog: not an ELF file (it starts with 23 21 2f 62, not 7f 45 4c 46)");
  });
});
