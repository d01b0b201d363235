import { execFileSync } from "node:child_process";
import { lstatSync, readlinkSync } from "node:fs";
import * as path from "node:path";

/**
 * The files the host's loader maps to start `program`, as `ldd` prints them: per printed path,
 * the chain of absolute paths from it to its file, through each symlink (followed with
 * readlink, hop by hop, not through ocistage's resolver); the file comes last. Throws when ldd fails.
 */
export const lddChains = (program: string): readonly (readonly string[])[] =>
  execFileSync("ldd", [program], { encoding: "utf8" })
    .split("\n")
    .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
    .filter((p): p is string => p !== undefined)
    .map((printed) => {
      const chain = [printed];
      for (let p = printed; lstatSync(p).isSymbolicLink() && chain.length < 40; chain.push(p)) {
        const target = readlinkSync(p);
        p = path.posix.normalize(target.startsWith("/") ? target : path.posix.join(path.posix.dirname(p), target));
      }
      return chain;
    });

/** Every path of `program`'s chains (lddChains) → "file" (the last of a chain) or "symlink". */
export const lddFiles = (program: string): ReadonlyMap<string, "file" | "symlink"> =>
  new Map(lddChains(program).flatMap((chain) => chain.map((p, i) => [p, i === chain.length - 1 ? "file" : "symlink"] as const)));

/** The given absolute paths and every folder above them, relative to `/` (no leading slash). */
export const withFolders = (paths: Iterable<string>): ReadonlySet<string> => {
  const all = new Set<string>();
  for (const f of paths) for (let p = f; p !== "/"; p = path.posix.dirname(p)) all.add(p.slice(1));
  return all;
};
