import * as E from "fp-ts/lib/Either.js";
import * as path from "node:path";
import type { ClosureLink, FoundBy } from "./Closure.ts";
import type { ClosureError } from "./ClosureError.ts";
import type { ElfInfo } from "./ElfInfo.ts";
import type { Place, Reached } from "./followLinks.ts";
import { followLinks } from "./followLinks.ts";
import type { LdCacheEntry } from "./ldCache.ts";
import { lookupLdCache } from "./ldCache.ts";
import type { LoaderConfig } from "./loaderConfig.ts";
import type { SearchDir } from "./searchPath.ts";
import { searchDirs } from "./searchPath.ts";

/** What the search reads of a loaded object: where it is, its dynamic entries, who loaded it. */
export interface LoaderNode {
  readonly place: Place;
  readonly origin: Place; // $ORIGIN
  readonly elf: ElfInfo;
  readonly loader: LoaderNode | undefined; // l_loader (undefined: the program)
}

/** A path to try, and the search step it comes from. */
export interface Candidate {
  readonly place: Place;
  readonly foundBy: FoundBy;
}

export interface Found {
  readonly candidate: Candidate;
  readonly reached: Reached;
  readonly elf: ElfInfo;
}

interface SearchContext {
  readonly root: string;
  readonly config: LoaderConfig;
  readonly cache: readonly LdCacheEntry[];
  readonly program: ElfInfo; // libraries must match its class, byte order and machine
  readonly elfAt: (fsPath: string, name: string) => E.Either<ClosureError, ElfInfo>;
  readonly unsupported: (file: string, message: string) => ClosureError;
  readonly loop: (from: string) => ClosureError;
}

const slash = (dir: string): string => (dir.endsWith("/") ? dir : `${dir}/`);

/** The search of one program's loader: open a candidate, search a name, say where it looked. */
export interface LibrarySearch {
  readonly at: (candidate: Candidate) => E.Either<ClosureError, Found | undefined>;
  readonly named: (name: string, loader: LoaderNode) => E.Either<ClosureError, Found | undefined>;
  readonly described: (loader: LoaderNode) => readonly string[];
  readonly cacheLink: (name: string, candidate: Candidate) => readonly ClosureLink[];
}

/**
 * glibc's search for a name without a slash (dl-load.c, _dl_map_object), as a list of folders:
 * the RPATH chain, the RUNPATH, ld.so.cache, the default folders. `at` opens one candidate:
 * undefined when it is missing or of another class or machine (the loader then tries the next).
 */
export const searchLibrary = (context: SearchContext): LibrarySearch => {
  const { config } = context;
  const dirsOf = (node: LoaderNode): E.Either<ClosureError, readonly SearchDir[]> => {
    const dirs: SearchDir[] = [];
    const dynamic = node.elf.dynamic;
    if (dynamic?.runpath === undefined)
      for (let l: LoaderNode | undefined = node; l !== undefined; l = l.loader) {
        const rpath = l.elf.dynamic?.runpath === undefined ? l.elf.dynamic?.rpath : undefined;
        if (rpath === undefined) continue;
        const expanded = searchDirs(rpath, "rpath", l.origin, config.lib);
        if (E.isLeft(expanded)) return E.left(context.unsupported(l.place.image, `DT_RPATH ${expanded.left}`));
        dirs.push(...expanded.right);
      }
    if (dynamic?.runpath !== undefined) {
      const expanded = searchDirs(dynamic.runpath, "runpath", node.origin, config.lib);
      if (E.isLeft(expanded)) return E.left(context.unsupported(node.place.image, `DT_RUNPATH ${expanded.left}`));
      dirs.push(...expanded.right);
    }
    return E.right(dirs);
  };

  const at = (candidate: Candidate): E.Either<ClosureError, Found | undefined> => {
    const followed = followLinks(context.root, candidate.place);
    switch (followed._tag) {
      case "Missing":
        return E.right(undefined);
      case "Loop":
        return E.left(context.loop(candidate.place.host));
      case "Unusable":
        return E.left(context.unsupported(candidate.place.host, followed.what));
      case "Found": {
        const elf = context.elfAt(followed.reached.source, followed.reached.source);
        if (E.isLeft(elf)) return elf;
        const p = context.program;
        const same = elf.right.elfClass === p.elfClass && elf.right.endianness === p.endianness && elf.right.machine === p.machine;
        return E.right(same ? { candidate, reached: followed.reached, elf: elf.right } : undefined);
      }
    }
  };

  const named = (name: string, loader: LoaderNode): E.Either<ClosureError, Found | undefined> => {
    const dirs = dirsOf(loader);
    if (E.isLeft(dirs)) return dirs;
    const tryDir = (dir: Place, foundBy: FoundBy) => at({ place: { host: path.posix.join(dir.host, name), image: path.posix.join(dir.image, name) }, foundBy });
    for (const dir of dirs.right) {
      const found = tryDir(dir, dir.from);
      if (E.isLeft(found) || found.right !== undefined) return found;
    }
    if (loader.elf.dynamic?.noDefaultLib === true) return E.right(undefined);
    const cached = lookupLdCache(context.cache, name, config.cacheFlags);
    if (cached !== undefined) {
      const found = at({ place: { host: cached, image: cached }, foundBy: "ld.so.cache" });
      if (E.isLeft(found) || found.right !== undefined) return found;
    }
    for (const dir of config.systemDirs) {
      const found = tryDir({ host: dir, image: dir }, "default path");
      if (E.isLeft(found) || found.right !== undefined) return found;
    }
    return E.right(undefined);
  };

  /** The folders a name was looked for in, for the "not found" message. */
  const described = (loader: LoaderNode): readonly string[] => {
    const dirs = dirsOf(loader);
    const own = E.isRight(dirs) ? dirs.right.map((d) => `${d.from === "rpath" ? "RPATH" : "RUNPATH"} ${d.host}`) : [];
    return loader.elf.dynamic?.noDefaultLib === true ? own : [...own, "ld.so.cache", ...config.systemDirs];
  };

  /**
   * A library the host finds through ld.so.cache in a folder the loader does not search by
   * default (one of /etc/ld.so.conf's) would not be found in the image, which has no cache: a link
   * in the first default folder points at it.
   */
  const cacheLink = (name: string, candidate: Candidate): readonly ClosureLink[] =>
    candidate.foundBy === "ld.so.cache" && !config.systemDirs.some((d) => slash(d) === slash(path.posix.dirname(candidate.place.image)))
      ? [{ path: path.posix.join(config.systemDirs[0] ?? "/lib", name), target: candidate.place.image }]
      : [];

  return { at, named, described, cacheLink };
};
