import { lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
import * as path from "node:path";
import type { ClosureLink } from "./Closure.ts";

/** A path as the host's loader sees it and as the image's will: equal except below a program's `$ORIGIN`. */
export interface Place {
  readonly host: string; // absolute, inside the resolver's root
  readonly image: string; // absolute
}

export interface Reached {
  readonly links: readonly ClosureLink[];
  readonly file: Place; // the end of the chain, lexically (folders in the image are real folders)
  readonly source: string; // the file system path of the file the kernel reaches from the start
  readonly id: string; // device and inode: the loader's test of "already loaded"
  readonly size: number;
}

export type Followed =
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Found"; readonly reached: Reached }
  | { readonly _tag: "Loop" }
  | { readonly _tag: "Unusable"; readonly what: string }; // a folder, a device, or a path the file system refuses

const MAX_LINKS = 40; // Linux's limit on symlinks followed in one lookup (ELOOP)

const next = (from: string, target: string): string => path.posix.normalize(path.posix.isAbsolute(target) ? target : path.posix.join(path.posix.dirname(from), target));

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/**
 * Follows the symlinks at the end of `start` (under `root`, "/" for the host) to a regular file,
 * recording each link with its target as written. Targets are resolved lexically from the link's
 * folder, as they will be in the image, where the folders holding closure files are real folders;
 * the bytes come from the file the kernel reaches (`source`). Missing is not an error (the loader
 * tries the next folder); a loop, or a chain ending at a folder or device, is.
 */
export const followLinks = (root: string, start: Place): Followed => {
  const links: ClosureLink[] = [];
  let place = start;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const onDisk = path.join(root, place.host);
    let stat;
    try {
      stat = lstatSync(onDisk);
    } catch (e) {
      if (code(e) === "ENOENT" || code(e) === "ENOTDIR") return { _tag: "Missing" };
      if (code(e) === "ELOOP") return { _tag: "Loop" };
      return { _tag: "Unusable", what: `${place.host}: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (stat.isSymbolicLink()) {
      let target: string;
      try {
        target = readlinkSync(onDisk);
      } catch (e) {
        return { _tag: "Unusable", what: `${place.host}: ${e instanceof Error ? e.message : String(e)}` };
      }
      links.push({ path: place.image, target });
      place = { host: next(place.host, target), image: next(place.image, target) };
      continue;
    }
    if (!stat.isFile()) return { _tag: "Unusable", what: `${place.host} is ${stat.isDirectory() ? "a folder" : "not a regular file"}` };
    try {
      const real = realpathSync(path.join(root, start.host));
      const target = statSync(real);
      return { _tag: "Found", reached: { links, file: place, source: real, id: `${target.dev}:${target.ino}`, size: target.size } };
    } catch (e) {
      return { _tag: "Unusable", what: `${start.host}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { _tag: "Loop" };
};
