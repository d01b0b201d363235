import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { constants, createWriteStream, promises as fs } from "node:fs";
import type { Writable } from "node:stream";
import type { FileEntry } from "./TarEntry.ts";
import { validateTarEntry } from "./TarEntry.ts";
import type { TarError } from "./TarError.ts";
import { reasonOf } from "./TarError.ts";
import type { DiskContent, FileContent, TarItem } from "./TarItem.ts";
import { HashingSink } from "./HashingSink.ts";
import { END_OF_ARCHIVE, encodeTarHeader, tarPadding } from "./tarHeader.ts";
import { compareTarPaths } from "./tarOrder.ts";

export interface TarDigest {
  // sha256 of the uncompressed tar: a layer's diff_id, and its blob digest when uncompressed.
  readonly digest: `sha256:${string}`;
  readonly size: number;
}

// Plain items (a virtual tree the build assembled) or Either values (a walk, which may fail).
export type TarItems =
  | Iterable<TarItem | E.Either<TarError, TarItem>>
  | AsyncIterable<TarItem | E.Either<TarError, TarItem>>;

const asEither = (item: TarItem | E.Either<TarError, TarItem>): E.Either<TarError, TarItem> => ("entry" in item ? E.right(item) : item);

// Writes a layer tar in one pass: headers, file data read in chunks of up to 1 MiB, the two zero
// blocks, and nothing else (-b1). Items must come in tarOrder order, each path once; the first
// Left item, invalid entry or unreadable/changed file stops the write with that error.
// The writer ends `out` on success and destroys it on failure, so a consumer never mistakes a
// partial archive for a whole one. Memory stays at a chunk or two, whatever the layer size.
export const writeTar =
  (items: TarItems, out: Writable): TE.TaskEither<TarError, TarDigest> =>
  async () => {
    const sink = new HashingSink(out);
    const result = await writeAll(items, sink).catch((e: unknown) => E.left<TarError, TarDigest>({ _tag: "WriteFailed", reason: reasonOf(e) }));
    if (E.isLeft(result)) out.destroy();
    return result;
  };

// writeTar into a file, which is complete and closed when the task succeeds and removed when it
// fails.
export const writeTarFile =
  (items: TarItems, path: string): TE.TaskEither<TarError, TarDigest> =>
  async () => {
    const out = createWriteStream(path);
    const closed = new Promise<void>((resolve) => out.once("close", () => resolve()));
    const result = await writeTar(items, out)();
    await closed;
    if (E.isLeft(result)) await fs.rm(path, { force: true });
    return result;
  };

const writeAll = async (items: TarItems, sink: HashingSink): Promise<E.Either<TarError, TarDigest>> => {
  let previous: Uint8Array | undefined;
  for await (const next of items) {
    const item = asEither(next);
    if (E.isLeft(item)) return item;
    const { entry } = item.right;
    const valid = validateTarEntry(entry);
    if (E.isLeft(valid)) return valid;
    if (previous !== undefined && compareTarPaths(previous, entry.path) >= 0)
      return E.left({ _tag: "OutOfOrder", previous, path: entry.path });
    previous = entry.path;
    await sink.push(encodeTarHeader(entry));
    if (item.right.content !== undefined && entry._tag === "File") {
      const error = await writeContent(entry, item.right.content, sink);
      if (error !== undefined) return E.left(error);
      await sink.push(tarPadding(entry.size));
    }
  }
  await sink.push(END_OF_ARCHIVE);
  const { sha256, size } = await sink.end();
  return E.right({ digest: `sha256:${sha256}`, size });
};

const writeContent = async (entry: FileEntry, content: FileContent, sink: HashingSink): Promise<TarError | undefined> => {
  switch (content._tag) {
    case "Bytes":
      if (BigInt(content.bytes.length) !== entry.size)
        return { _tag: "InvalidEntry", path: entry.path, reason: `the header says ${entry.size} bytes, the content has ${content.bytes.length}` };
      await sink.push(content.bytes);
      return undefined;
    case "Disk":
      return copyFile(entry, content, sink);
  }
};

// Reads exactly the size the header announced. A file that ends early, has grown, or was
// modified or replaced since it was walked is an error, where GNU tar would warn "file changed
// as we read it" (and pad or truncate).
const copyFile = async (entry: FileEntry, content: DiskContent, sink: HashingSink): Promise<TarError | undefined> => {
  const diskPath = typeof content.path === "string" ? content.path : Buffer.from(content.path);
  const shown = Buffer.from(diskPath);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(diskPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    return { _tag: "Unreadable", path: shown, operation: "open", reason: reasonOf(e) };
  }
  try {
    let remaining = entry.size;
    while (remaining > 0n) {
      const space = await sink.space();
      const want = remaining < BigInt(space.length) ? Number(remaining) : space.length;
      const { bytesRead } = await handle.read(space, 0, want, null).catch((e: unknown) => {
        throw new ReadFailure(e);
      });
      if (bytesRead === 0) return { _tag: "FileChanged", path: shown, reason: `it ended after ${entry.size - remaining} of ${entry.size} bytes` };
      sink.commit(bytesRead);
      remaining -= BigInt(bytesRead);
    }
    const after = await handle.stat({ bigint: true });
    return changeOf(entry, content, after, shown);
  } catch (e) {
    if (e instanceof ReadFailure) return { _tag: "Unreadable", path: shown, operation: "read", reason: reasonOf(e.cause) };
    throw e;
  } finally {
    await handle.close();
  }
};

class ReadFailure {
  constructor(readonly cause: unknown) {}
}

const changeOf = (entry: FileEntry, content: DiskContent, after: { size: bigint; dev: bigint; ino: bigint; mtimeNs: bigint; ctimeNs: bigint }, path: Uint8Array): TarError | undefined => {
  const changed = (reason: string): TarError => ({ _tag: "FileChanged", path, reason });
  if (after.size !== entry.size) return changed(`its size went from ${entry.size} to ${after.size} bytes`);
  const before = content.unchanged;
  if (before === undefined) return undefined;
  if (before.dev !== after.dev || before.ino !== after.ino) return changed("it was replaced by another file");
  if (before.mtimeNs !== after.mtimeNs || before.ctimeNs !== after.ctimeNs) return changed("it was modified");
  return undefined;
};
