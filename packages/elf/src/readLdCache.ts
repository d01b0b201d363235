import * as E from "fp-ts/lib/Either.js";
import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import type { ElfError } from "./ElfError.ts";
import { elfError } from "./ElfError.ts";
import type { LdCacheEntry } from "./ldCache.ts";
import { parseLdCache } from "./ldCache.ts";

const MAX_CACHE_BYTES = 64 << 20; // this machine's is 40 KiB; a bigger one is not a cache

/** ROOT/etc/ld.so.cache parsed; no entries when there is none (the loader then searches the default folders only). */
export const readLdCache = (root: string): E.Either<ElfError, readonly LdCacheEntry[]> => {
  const file = path.join(root, "etc/ld.so.cache");
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_CACHE_BYTES) return E.left(elfError(file, "malformed", `${size} bytes, more than an ld.so.cache holds`));
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? E.right([]) : E.left(elfError(file, "unreadable", `cannot read: ${e instanceof Error ? e.message : String(e)}`));
  }
  return parseLdCache(bytes, file);
};
