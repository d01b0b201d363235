import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildError } from "../BuildError.ts";
import { reasonOf } from "../BuildError.ts";
import type { LayoutArchiveInput } from "../writeTreeTar.ts";
import type { BuildCache } from "./buildCache.ts";
import { readRecord, recordName, writeRecord } from "./buildCache.ts";
import { archiveRecord, isRecordedArchive } from "./CacheRecord.ts";
import { archiveKey } from "./archiveKey.ts";
import type { ArchiveContents } from "./archiveKey.ts";

// Writes the archive and says what each blob hashed to as it went in (file name → hex).
export type ArchiveWriter = (input: LayoutArchiveInput) => TE.TaskEither<BuildError, ReadonlyMap<string, string>>;

export interface ArchiveJob {
  readonly cache: O.Option<BuildCache>;
  readonly input: LayoutArchiveInput; // `target` is a temporary; the build renames it into place
  readonly contents: ArchiveContents;
  readonly write: ArchiveWriter;
}

export interface CachedArchive {
  readonly source: "built" | "reused";
  readonly record: O.Option<string>;
  readonly archived: ReadonlyMap<string, string>; // blobs hashed on the archive's read; none if reused
  readonly temporary?: string; // the new archive, when built: publishing renames it into place
}

const io = (at: string, file: string) => (e: unknown): BuildError => ({ _tag: "Io", at, path: file, reason: reasonOf(e) });

// The archive-layout step with the cache: when the output folder's image.oci.tar is the file a
// record made for exactly these contents (same blobs, index.json, oci-layout and epoch), it is
// kept as it is instead of reading every blob again; a no-op rebuild of a 1 GiB image would
// otherwise read and write 1 GiB here.
export const cachedArchive = (job: ArchiveJob): TE.TaskEither<BuildError, CachedArchive> => {
  const { input } = job;
  const current = path.join(input.layout, job.contents.archive);
  const written = (): TE.TaskEither<BuildError, CachedArchive> =>
    pipe(
      job.write(input),
      TE.map((archived): CachedArchive => ({ source: "built", record: O.none, archived, temporary: input.target })),
    );
  if (O.isNone(job.cache)) return written();
  const cache = job.cache.value;
  const key = archiveKey(job.contents);
  const remember = (built: CachedArchive): TE.TaskEither<BuildError, CachedArchive> =>
    pipe(
      TE.tryCatch(() => fs.lstat(input.target, { bigint: true }), io(input.at, input.target)),
      TE.chain((stat) => writeRecord(cache, "archive", key, archiveRecord(stat))),
      TE.map((): CachedArchive => ({ ...built, record: O.some(recordName("archive", key)) })),
    );
  return pipe(
    TE.fromTask(readRecord(cache, "archive", key)),
    TE.chain((found) =>
      TE.tryCatch(async () => {
        if (O.isNone(found) || found.value._tag !== "Archive") return false;
        const stat = await fs.lstat(current, { bigint: true }).catch(() => undefined);
        return stat !== undefined && stat.isFile() && isRecordedArchive(found.value, stat);
      }, io(input.at, current)),
    ),
    TE.chain((unchanged) =>
      unchanged ? TE.right<BuildError, CachedArchive>({ source: "reused", record: O.some(recordName("archive", key)), archived: new Map() }) : pipe(written(), TE.chain(remember)),
    ),
  );
};
