import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { closeSync, constants, createWriteStream, fstatSync, openSync, promises as fs, readSync } from "node:fs";
import type { Writable } from "node:stream";
import type { FileEntry } from "./TarEntry.ts";
import { validateTarEntry, xattrsOf } from "./TarEntry.ts";
import type { TarError } from "./TarError.ts";
import { reasonOf } from "./TarError.ts";
import type { DiskContent, FileContent, TarItem } from "./TarItem.ts";
import { CHUNK_SIZE, HashingSink } from "./HashingSink.ts";
import type { SinkOptions } from "./HashingSink.ts";
import { BLOCK_SIZE, END_OF_ARCHIVE, encodeTarHeader, tarPaddingSize } from "./tarHeader.ts";
import { encodePaxHeader } from "./paxHeader.ts";
import type { TarFormat } from "./TarFormat.ts";

// Padding is copied into the sink's chunk, so one block of zeros serves every file.
const ZERO_BLOCK = new Uint8Array(BLOCK_SIZE);
import { compareTarPaths } from "./tarOrder.ts";

export interface TarDigest {
  // sha256 of the uncompressed tar: a layer's diff_id, and its blob digest when uncompressed.
  readonly digest: `sha256:${string}`;
  readonly size: number;
}

// How to write: the sink's knobs, and the archive format ("gnu" when absent; TarFormat.ts).
export interface WriteOptions extends SinkOptions {
  readonly format?: TarFormat;
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
// In the gnu format an entry with extended attributes is an error: GNU tar cannot write one.
export const writeTar =
  (items: TarItems, out: Writable, options: WriteOptions = {}): TE.TaskEither<TarError, TarDigest> =>
  async () => {
    const sink = new HashingSink(out, options);
    const result = await writeAll(items, sink, options.format ?? "gnu").catch((e: unknown) => E.left<TarError, TarDigest>({ _tag: "WriteFailed", reason: reasonOf(e) }));
    if (E.isLeft(result)) out.destroy();
    return result;
  };

// writeTar into a file, which is complete and closed when the task succeeds and removed when it
// fails.
export const writeTarFile = (items: TarItems, path: string, format: TarFormat = "gnu"): TE.TaskEither<TarError, TarDigest> => writeFile(items, path, true, format);

// The same file without its digest, for an archive nobody needs the hash of (image.oci.tar):
// hashing is most of the main thread's work when the data is in the page cache.
export const writeTarFileUnhashed =
  (items: TarItems, path: string): TE.TaskEither<TarError, number> =>
  async () =>
    E.map((digest: TarDigest) => digest.size)(await writeFile(items, path, false, "gnu")());

const writeFile =
  (items: TarItems, path: string, hash: boolean, format: TarFormat): TE.TaskEither<TarError, TarDigest> =>
  async () => {
    const out = createWriteStream(path);
    const closed = new Promise<void>((resolve) => out.once("close", () => resolve()));
    // A file stream is done with a chunk once it is written: the sink may reuse it.
    const result = await writeTar(items, out, { recycle: true, hash, format })();
    await closed;
    if (E.isLeft(result)) await fs.rm(path, { force: true });
    return result;
  };

const writeAll = async (items: TarItems, sink: HashingSink, format: TarFormat): Promise<E.Either<TarError, TarDigest>> => {
  const encode = format === "pax" ? encodePaxHeader : encodeTarHeader;
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
    if (format === "gnu" && xattrsOf(entry).length > 0)
      return E.left({ _tag: "InvalidEntry", path: entry.path, reason: "extended attributes need the pax format (GNU tar records them only with --format=posix)" });
    await sink.push(encode(entry));
    if (item.right.content !== undefined && entry._tag === "File") {
      const error = await writeContent(entry, item.right.content, sink);
      if (error !== undefined) return E.left(error);
      await sink.push(ZERO_BLOCK.subarray(0, tarPaddingSize(entry.size)));
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
  return entry.size <= BigInt(CHUNK_SIZE) ? copySmall(entry, content, diskPath, shown, sink) : copyLarge(entry, content, diskPath, shown, sink);
};

// O_NOFOLLOW: the walk saw a file there, not a symlink. O_NONBLOCK: a file swapped for a FIFO
// since the walk must not hang the build (on a regular file it changes nothing).
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

// Read failures are the file's fault (Unreadable); anything else thrown is the output's.
class ReadFailure {
  constructor(readonly cause: unknown) {}
}

// Files up to a chunk are read with synchronous calls straight into the sink's chunk: each
// promise-based call costs some 20 µs of main-thread time, and a file takes four (open, read,
// fstat, close), which for a layer of 100,000 small files is most of the work. The thread
// pool buys nothing for page-cache reads of that size.
const copySmall = async (entry: FileEntry, content: DiskContent, diskPath: string | Buffer, shown: Uint8Array, sink: HashingSink): Promise<TarError | undefined> => {
  const size = Number(entry.size);
  let fd: number;
  try {
    fd = openSync(diskPath, OPEN_FLAGS);
  } catch (e) {
    return { _tag: "Unreadable", path: shown, operation: "open", reason: reasonOf(e) };
  }
  try {
    const space = await sink.reserve(size);
    let filled = 0;
    try {
      while (filled < size) {
        const n = readSync(fd, space, filled, size - filled, filled);
        if (n === 0) break;
        filled += n;
      }
    } catch (e) {
      // The walk saw a regular file: one that cannot be read at an offset (a FIFO, a folder)
      // was put in its place since. Found without an fstat per file before reading.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ESPIPE" || code === "EISDIR") return { _tag: "FileChanged", path: shown, reason: "it was replaced by another file" };
      return { _tag: "Unreadable", path: shown, operation: "read", reason: reasonOf(e) };
    }
    if (filled < size) return { _tag: "FileChanged", path: shown, reason: `it ended after ${filled} of ${size} bytes` };
    content.onData?.(space.subarray(0, size));
    sink.commit(size);
    return changeOf(entry, content, fstatSync(fd, { bigint: true }), shown);
  } finally {
    closeSync(fd);
  }
};

// A large file is read one chunk ahead: the next read runs in the thread pool while the main
// thread hashes and writes the current chunk.
const copyLarge = async (entry: FileEntry, content: DiskContent, diskPath: string | Buffer, shown: Uint8Array, sink: HashingSink): Promise<TarError | undefined> => {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(diskPath, OPEN_FLAGS);
  } catch (e) {
    return { _tag: "Unreadable", path: shown, operation: "open", reason: reasonOf(e) };
  }
  try {
    const copied = await streamChunks(handle, entry.size, sink, content.onData);
    if (copied < entry.size) return { _tag: "FileChanged", path: shown, reason: `it ended after ${copied} of ${entry.size} bytes` };
    return changeOf(entry, content, await handle.stat({ bigint: true }), shown);
  } catch (e) {
    if (e instanceof ReadFailure) return { _tag: "Unreadable", path: shown, operation: "read", reason: reasonOf(e.cause) };
    throw e;
  } finally {
    await handle.close();
  }
};

// Fills `buffer` from `position` on; fewer bytes only at the end of the file.
const readFully = async (handle: fs.FileHandle, buffer: Buffer, position: bigint): Promise<number> => {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, Number(position) + filled).catch((e: unknown) => {
      throw new ReadFailure(e);
    });
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
};

// Hands the file to the sink in chunks, reading the next one while the current one is hashed
// and written; returns how many bytes there were (less than `size` if the file ended early).
const streamChunks = async (handle: fs.FileHandle, size: bigint, sink: HashingSink, onData: DiskContent["onData"]): Promise<bigint> => {
  type Chunk = { readonly data: Buffer; readonly chunk: Buffer; readonly complete: boolean };
  const readAt = async (position: bigint): Promise<Chunk> => {
    const want = size - position < BigInt(CHUNK_SIZE) ? Number(size - position) : CHUNK_SIZE;
    const chunk = await sink.acquire();
    const n = await readFully(handle, chunk.subarray(0, want), position);
    return { data: chunk.subarray(0, n), chunk, complete: n === want };
  };
  let copied = 0n;
  let ahead: Promise<Chunk> | undefined = readAt(0n);
  try {
    while (ahead !== undefined) {
      const { data, chunk, complete }: Chunk = await ahead;
      copied += BigInt(data.length);
      ahead = complete && copied < size ? readAt(copied) : undefined;
      onData?.(data);
      await sink.pushOwned(data, chunk);
    }
    return copied;
  } finally {
    // Never close the file under a read still in flight (the sink failed meanwhile).
    await ahead?.catch(() => undefined);
  }
};

const changeOf = (entry: FileEntry, content: DiskContent, after: { size: bigint; dev: bigint; ino: bigint; mtimeNs: bigint; ctimeNs: bigint }, path: Uint8Array): TarError | undefined => {
  const changed = (reason: string): TarError => ({ _tag: "FileChanged", path, reason });
  if (after.size !== entry.size) return changed(`its size went from ${entry.size} to ${after.size} bytes`);
  const before = content.unchanged;
  if (before === undefined) return undefined;
  if (before.dev !== after.dev || before.ino !== after.ino) return changed("it was replaced by another file");
  if (before.mtimeNs !== after.mtimeNs || before.ctimeNs !== after.ctimeNs) return changed("it was modified");
  return undefined;
};
