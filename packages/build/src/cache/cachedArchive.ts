import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildError } from "../BuildError.ts";
import { reasonOf } from "../BuildError.ts";
import { linkOrCopy } from "../blobStore.ts";
import type { BuildCache } from "./buildCache.ts";
import { readRecord, recordName, writeRecord } from "./buildCache.ts";
import { archiveRecord, isRecordedArchive } from "./CacheRecord.ts";
import { archiveKey } from "./archiveKey.ts";

// Writes the archive and says what each blob hashed to as it went in (file name → hex).
export type ArchiveWriter = (layout: string, archive: string, epoch: number, at: string) => TE.TaskEither<BuildError, ReadonlyMap<string, string>>;

export interface ArchiveJob {
  readonly cache: O.Option<BuildCache>;
  readonly layout: string;
  readonly archive: string; // its name inside the layout
  readonly epoch: number;
  readonly at: string;
  readonly write: ArchiveWriter;
}

export interface CachedArchive {
  readonly source: "built" | "reused";
  readonly record: O.Option<string>;
  readonly archived: ReadonlyMap<string, string>; // blobs hashed on the archive's read; none if reused
}

const io = (at: string, file: string) => (e: unknown): BuildError => ({ _tag: "Io", at, path: file, reason: reasonOf(e) });

// The archive-layout step with the cache: an unchanged layout (same blobs, index.json,
// oci-layout and epoch) links the previous build's image.oci.tar instead of reading every blob
// again; a no-op rebuild of a 1 GiB image would otherwise read and write 1 GiB here.
export const cachedArchive = (job: ArchiveJob): TE.TaskEither<BuildError, CachedArchive> => {
  const file = path.join(job.layout, job.archive);
  const written = (): TE.TaskEither<BuildError, ReadonlyMap<string, string>> => job.write(job.layout, job.archive, job.epoch, job.at);
  if (O.isNone(job.cache)) return pipe(written(), TE.map((archived): CachedArchive => ({ source: "built", record: O.none, archived })));
  const cache = job.cache.value;
  const remember = (key: string, source: CachedArchive["source"], archived: ReadonlyMap<string, string>): TE.TaskEither<BuildError, CachedArchive> =>
    pipe(
      TE.tryCatch(() => fs.lstat(file, { bigint: true }), io(job.at, file)),
      TE.chain((stat) => writeRecord(cache, "archive", key, archiveRecord(stat))),
      TE.map((): CachedArchive => ({ source, record: O.some(recordName("archive", key)), archived })),
    );
  const tryReuse = (key: string): TE.TaskEither<BuildError, boolean> =>
    pipe(
      TE.fromTask(readRecord(cache, "archive", key)),
      TE.chain((found) => {
        if (O.isNone(found) || found.value._tag !== "Archive" || O.isNone(cache.previous)) return TE.right(false);
        const record = found.value;
        const previous = path.join(cache.previous.value, job.archive);
        return TE.tryCatch(async () => {
          const stat = await fs.lstat(previous, { bigint: true }).catch(() => undefined);
          if (stat === undefined || !stat.isFile() || !isRecordedArchive(record, stat)) return false;
          await linkOrCopy(previous, file);
          return true;
        }, io(job.at, file));
      }),
    );
  return pipe(
    archiveKey(job.layout, job.archive, job.epoch, job.at),
    TE.chain((key) =>
      pipe(
        tryReuse(key),
        TE.chain((reused) => (reused ? remember(key, "reused", new Map()) : pipe(written(), TE.chain((archived) => remember(key, "built", archived))))),
      ),
    ),
  );
};
