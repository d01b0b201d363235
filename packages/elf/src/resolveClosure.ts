import * as E from "fp-ts/lib/Either.js";
import { realpathSync } from "node:fs";
import * as path from "node:path";
import { withFileSource } from "./ByteSource.ts";
import type { Closure, ClosureLink, ClosureObject, LoadRequest } from "./Closure.ts";
import type { ClosureError } from "./ClosureError.ts";
import type { ElfError } from "./ElfError.ts";
import type { ElfInfo } from "./ElfInfo.ts";
import type { Place, Reached } from "./followLinks.ts";
import type { LdCacheEntry } from "./ldCache.ts";
import { loaderConfig } from "./loaderConfig.ts";
import { readElf } from "./readElf.ts";
import { readLdCache } from "./readLdCache.ts";
import type { Candidate, LoaderNode } from "./searchLibrary.ts";
import { searchLibrary } from "./searchLibrary.ts";
import { expandTokens } from "./searchPath.ts";

/** Where and how to resolve: the file system root ("/"), names loaded with dlopen, and the ld.so.cache entries. */
export interface ClosureOptions {
  readonly root?: string; // a folder standing for "/" (tests build a made-up file system there)
  readonly dlopen?: readonly string[]; // sonames or absolute paths, loaded as if the program called dlopen
  readonly cache?: readonly LdCacheEntry[]; // default: ROOT/etc/ld.so.cache, none when it is missing
}

// A loaded object, glibc's `struct link_map`: where it was opened, what it needs, who loaded it.
interface Node extends LoaderNode {
  readonly names: Set<string>; // what a later request matches: names asked, paths opened, DT_SONAME
  readonly object?: { readonly reached: Reached; readonly requests: LoadRequest[]; readonly links: Map<string, ClosureLink> };
}

const dirname = (place: Place): Place => ({ host: path.posix.dirname(place.host), image: path.posix.dirname(place.image) });

/**
 * The closure of `program` (a host path under the root) copied to `destination` in an image, as
 * glibc's dynamic loader (2.36, Debian) would load it: PT_INTERP first, then DT_NEEDED
 * breadth-first, each name once (a name matches an object loaded under that name, at that path,
 * or with that DT_SONAME; a file already mapped under another name is not mapped again). Each
 * name is searched in: DT_RPATH of the object that needs it and of the objects that loaded that
 * one, up to the program (only while the needing object has no DT_RUNPATH; an object's RPATH
 * counts only when it has no RUNPATH), then the needing object's own DT_RUNPATH, then
 * ld.so.cache, then the default folders (the last two not for DF_1_NODEFLIB objects). A file of
 * another class or machine is passed over, as the loader does. LD_LIBRARY_PATH and LD_PRELOAD
 * are not read: the image's environment is not the host's.
 */
export const resolveClosure = (program: string, destination: string, options: ClosureOptions = {}): E.Either<ClosureError, Closure> => {
  const root = options.root ?? "/";
  const fail = {
    elf: (error: ElfError): ClosureError => ({ _tag: "ClosureElf", program, error }),
    unsupported: (file: string, message: string): ClosureError => ({ _tag: "ClosureUnsupported", program, file, message }),
  };
  const elfAt = (fsPath: string, name: string): E.Either<ClosureError, ElfInfo> => E.mapLeft(fail.elf)(withFileSource(fsPath, (s) => readElf(s, name), name));

  const main = elfAt(path.join(root, program), program);
  if (E.isLeft(main)) return main;
  const empty: Closure = { program, destination, objects: [] };
  if (main.right.interpreter === undefined && main.right.dynamic === undefined) return E.right(empty);
  const config = loaderConfig(main.right);
  if (config === undefined)
    return E.left(fail.unsupported(program, `no loader configuration for ${main.right.endianness}-endian ELF${main.right.elfClass} machine ${main.right.machine} (known: x86-64, i386, aarch64)`));
  const cache = options.cache === undefined ? readLdCache(root) : E.right(options.cache);
  if (E.isLeft(cache)) return E.left(fail.elf(cache.left));

  let realProgram: string;
  try {
    realProgram = `/${path.relative(root, realpathSync(path.join(root, program)))}`;
  } catch (e) {
    return E.left(fail.unsupported(program, e instanceof Error ? e.message : String(e)));
  }
  const mainNode: Node = { place: { host: program, image: destination }, origin: { host: path.posix.dirname(realProgram), image: path.posix.dirname(destination) }, elf: main.right, loader: undefined, names: new Set() };
  const loaded: Node[] = [];
  const byId = new Map<string, Node>();
  const search = searchLibrary({ root, config, cache: cache.right, program: main.right, elfAt, unsupported: fail.unsupported, loop: (from) => ({ _tag: "SymlinkLoop", program, path: from }) });

  const order: Node[] = []; // the link map: the interpreter takes its place when first named
  let interpreter: Node | undefined;
  const request = (name: string, loader: Node, viaInterp: boolean): E.Either<ClosureError, Node | undefined> => {
    const known = loaded.find((n) => n.names.has(name));
    if (known !== undefined) {
      if (known === interpreter && !order.includes(known)) order.push(known);
      return E.right(undefined);
    }
    const neededBy = loader.place.image;
    let found: E.Either<ClosureError, { readonly candidate: Candidate; readonly reached: Reached; readonly elf: ElfInfo } | undefined>;
    if (name.includes("/")) {
      const expanded = expandTokens(name, loader.origin, config.lib);
      if (E.isLeft(expanded)) return E.left(fail.unsupported(neededBy, expanded.left));
      if (!expanded.right.host.startsWith("/")) return E.left(fail.unsupported(neededBy, `${JSON.stringify(name)} is a relative path: the loader opens it from its current folder, which the image cannot know`));
      found = search.at({ place: expanded.right, foundBy: viaInterp ? "interpreter" : "path" });
    } else found = search.named(name, loader);
    if (E.isLeft(found)) return found;
    if (found.right === undefined) return E.left({ _tag: "MissingLibrary", program, name, neededBy, searched: name.includes("/") ? [name] : search.described(loader) });
    const { candidate, reached, elf } = found.right;
    const req: LoadRequest = { name, neededBy, foundBy: candidate.foundBy, path: candidate.place.image };
    const links = [...reached.links, ...search.cacheLink(name, candidate)];
    const earlier = byId.get(reached.id);
    if (earlier?.object !== undefined) {
      earlier.names.add(name);
      earlier.object.requests.push(req);
      for (const link of links) earlier.object.links.set(link.path, link);
      return E.right(undefined);
    }
    if (!viaInterp && elf.type !== "shared object") return E.left(fail.unsupported(reached.source, `needed as ${name} by ${neededBy}, but it is a program (ET_EXEC), which the loader cannot load as a library`));
    const node: Node = {
      place: candidate.place,
      origin: dirname(candidate.place),
      elf,
      loader,
      names: new Set([name, candidate.place.host, candidate.place.image, ...(elf.dynamic?.soname === undefined ? [] : [elf.dynamic.soname])]),
      object: { reached, requests: [req], links: new Map(links.map((l) => [l.path, l] as const)) },
    };
    loaded.push(node);
    if (!viaInterp) order.push(node);
    byId.set(reached.id, node);
    return E.right(node);
  };

  // Breadth-first, as glibc's _dl_map_object_deps: each object's DT_NEEDED in order, new objects queued.
  const drain = (queue: Node[]): E.Either<ClosureError, void> => {
    for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
      for (const name of node.elf.dynamic?.needed ?? []) {
        const added = request(name, node, false);
        if (E.isLeft(added)) return added;
        if (added.right !== undefined) queue.push(added.right);
      }
    }
    return E.right(undefined);
  };

  if (main.right.interpreter !== undefined) {
    const added = request(main.right.interpreter, mainNode, true);
    if (E.isLeft(added)) return added;
    interpreter = added.right;
  }
  const first = drain([mainNode]);
  if (E.isLeft(first)) return first;
  for (const name of options.dlopen ?? []) {
    const added = request(name, mainNode, false);
    if (E.isLeft(added)) return added;
    const rest = drain(added.right === undefined ? [] : [added.right]);
    if (E.isLeft(rest)) return rest;
  }
  const objectOf = (node: Node): ClosureObject => {
    const o = node.object as NonNullable<Node["object"]>;
    return {
      file: o.reached.file.image,
      source: o.reached.source,
      size: o.reached.size,
      ...(node.elf.dynamic?.soname === undefined ? {} : { soname: node.elf.dynamic.soname }),
      requests: o.requests,
      links: [...o.links.values()],
    };
  };
  if (interpreter !== undefined && !order.includes(interpreter)) order.push(interpreter);
  return E.right({ ...empty, ...(main.right.interpreter === undefined ? {} : { interpreter: main.right.interpreter }), objects: order.map(objectOf) });
};
