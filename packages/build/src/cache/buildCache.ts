import * as O from "fp-ts/lib/Option.js";
import * as T from "fp-ts/lib/Task.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BuildError } from "../BuildError.ts";
import { reasonOf } from "../BuildError.ts";
import { makeFolders } from "../makeFolders.ts";
import type { CacheRecord } from "./CacheRecord.ts";
import { decodeCacheRecord } from "./CacheRecord.ts";

/**
 * The build cache: small JSON records in the user's cache folder, shared by every output folder.
 * A layer record says which blob a layer key gave and which layout it was written to last, so a
 * build into any folder can take the blob from there (or find it in its own folder) unread.
 */
export interface BuildCache {
  readonly dir: string;
}

export type RecordKind = "layer" | "archive";

/** The record's file name, relative to the cache folder. */
export const recordName = (kind: RecordKind, key: string): string => path.join(`${kind}s`, `${key}.json`);

const fileOf = (cache: BuildCache, kind: RecordKind, key: string): string => path.join(cache.dir, recordName(kind, key));

/**
 * Where the cache lives unless `--cache-dir` says otherwise: `$XDG_CACHE_HOME/ocistage`, else
 * `~/.cache/ocistage` (the XDG base directory specification's default).
 */
export const defaultCacheDir = (env: NodeJS.ProcessEnv): string => {
  const xdg = env["XDG_CACHE_HOME"];
  return path.join(xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), ".cache"), "ocistage");
};

export const openBuildCache = (dir: string): BuildCache => ({ dir: path.resolve(dir) });

// A missing or unreadable record is a cache miss, never a failure.
export const readRecord = (cache: BuildCache, kind: RecordKind, key: string): T.Task<O.Option<CacheRecord>> => () =>
  fs.readFile(fileOf(cache, kind, key), "utf8").then(decodeCacheRecord, () => O.none);

// Written to a temporary name and renamed, so a reader never sees half a record.
export const writeRecord = (cache: BuildCache, kind: RecordKind, key: string, record: CacheRecord): TE.TaskEither<BuildError, void> => {
  const file = fileOf(cache, kind, key);
  const temporary = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  return TE.tryCatch(
    async () => {
      await makeFolders(path.dirname(file));
      await fs.writeFile(temporary, JSON.stringify(record));
      await fs.rename(temporary, file);
    },
    (e): BuildError => ({ _tag: "Io", at: "build cache", path: file, reason: reasonOf(e) }),
  );
};
