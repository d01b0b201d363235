import { execFileSync } from "node:child_process";
import { lstatSync, readlinkSync } from "node:fs";
import * as path from "node:path";

/**
 * The files the host's loader maps to start `program`, as `ldd` prints them, each with the
 * symlinks that lead from the printed path to its file (followed with readlink, hop by hop, not
 * through ocistage's resolver). Absolute paths → "file" or "symlink". Throws when ldd fails.
 */
export const lddFiles = (program: string): ReadonlyMap<string, "file" | "symlink"> => {
  const printed = execFileSync("ldd", [program], { encoding: "utf8" })
    .split("\n")
    .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
    .filter((p): p is string => p !== undefined);
  const files = new Map<string, "file" | "symlink">();
  for (let p of printed) {
    for (let hops = 0; hops < 40; hops++) {
      const link = lstatSync(p).isSymbolicLink();
      files.set(p, link ? "symlink" : "file");
      if (!link) break;
      const target = readlinkSync(p);
      p = path.posix.normalize(target.startsWith("/") ? target : path.posix.join(path.posix.dirname(p), target));
    }
  }
  return files;
};

/** The given absolute paths and every folder above them, relative to `/` (no leading slash). */
export const withFolders = (paths: Iterable<string>): ReadonlySet<string> => {
  const all = new Set<string>();
  for (const f of paths) for (let p = f; p !== "/"; p = path.posix.dirname(p)) all.add(p.slice(1));
  return all;
};
