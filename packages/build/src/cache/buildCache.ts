import * as O from "fp-ts/lib/Option.js";
import * as T from "fp-ts/lib/Task.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildError } from "../BuildError.ts";
import { reasonOf } from "../BuildError.ts";
import { storeDirOf } from "../publishOutput.ts";
import type { CacheRecord } from "./CacheRecord.ts";
import { decodeCacheRecord } from "./CacheRecord.ts";

// The build cache of one output DIR: records in `.DIR.ocistage/cache/`, and the previous build
// (the folder DIR points at) whose blobs a record lets this build reuse. The cache only ever
// names blobs of that one folder, so it needs no garbage collection beyond pruneCache.
export interface BuildCache {
  readonly dir: string;
  readonly previous: O.Option<string>;
}

export type RecordKind = "layer" | "archive";

export const recordName = (kind: RecordKind, key: string): string => `${kind}-${key}.json`;

const fileOf = (cache: BuildCache, kind: RecordKind, key: string): string => path.join(cache.dir, recordName(kind, key));

export const cacheDirOf = (out: string): string => path.join(storeDirOf(out), "cache");

// Finds the previous build: DIR must be a symlink into its store (what publishBuildDir makes).
// No previous build is not an error: the build then reuses nothing.
export const openBuildCache = (out: string): TE.TaskEither<BuildError, BuildCache> => {
  const dir = cacheDirOf(out);
  return TE.tryCatch(
    async () => {
      const link = await fs.lstat(out).catch(() => undefined);
      if (link === undefined || !link.isSymbolicLink()) return { dir, previous: O.none };
      const target = await fs.realpath(out).catch(() => undefined);
      const store = await fs.realpath(storeDirOf(out)).catch(() => undefined);
      return { dir, previous: target !== undefined && store !== undefined && path.dirname(target) === store ? O.some(target) : O.none };
    },
    (e): BuildError => ({ _tag: "Io", at: "build cache", path: dir, reason: reasonOf(e) }),
  );
};

// A missing or unreadable record is a cache miss, never a failure.
export const readRecord = (cache: BuildCache, kind: RecordKind, key: string): T.Task<O.Option<CacheRecord>> => () =>
  fs.readFile(fileOf(cache, kind, key), "utf8").then(decodeCacheRecord, () => O.none);

// Written to a temporary name and renamed, so a reader never sees half a record.
export const writeRecord = (cache: BuildCache, kind: RecordKind, key: string, record: CacheRecord): TE.TaskEither<BuildError, void> => {
  const file = fileOf(cache, kind, key);
  const temporary = `${file}.tmp-${process.pid}`;
  return TE.tryCatch(
    async () => {
      await fs.mkdir(cache.dir, { recursive: true });
      await fs.writeFile(temporary, JSON.stringify(record));
      await fs.rename(temporary, file);
    },
    (e): BuildError => ({ _tag: "Io", at: "build cache", path: file, reason: reasonOf(e) }),
  );
};

// After a failed first build: records without a previous build can never be used, and the
// store beside DIR must not be left behind because of them.
export const dropOrphanCache = (cache: BuildCache): T.Task<void> => async () => {
  if (O.isNone(cache.previous)) await fs.rm(cache.dir, { recursive: true, force: true }).catch(() => undefined);
};

// Keeps only the records this build used or made: every other record names a blob of a build
// that is gone, so it could never be reused. Best effort: the image is already published, and
// a record left behind costs one small file and a miss.
export const pruneCache = (cache: BuildCache, live: ReadonlySet<string>): T.Task<void> => async () => {
  const names = await fs.readdir(cache.dir).catch((): string[] => []);
  await Promise.all(
    names
      .filter((name) => !live.has(name) && !/\.tmp-\d+$/.test(name))
      .map((name) => fs.rm(path.join(cache.dir, name), { force: true }).catch(() => undefined)),
  );
};
