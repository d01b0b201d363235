import * as E from "fp-ts/lib/Either.js";
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import type { ElfError } from "./ElfError.ts";
import { elfError } from "./ElfError.ts";

/**
 * Random access to the bytes of one file, so a reader fetches only the headers it needs (a
 * 100 MiB library is read a few KiB at a time). `read` is only called for ranges inside `size`.
 */
export interface ByteSource {
  readonly size: number; // bytes
  readonly read: (offset: number, length: number) => Uint8Array;
}

/** A source over bytes already in memory (tests synthesise files this way). */
export const bufferSource = (bytes: Uint8Array): ByteSource => ({
  size: bytes.length,
  read: (offset, length) => bytes.subarray(offset, offset + length),
});

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Opens `file` (named `name` in errors) for the duration of `use`: a source over its bytes through positional reads,
 * closed afterwards whatever `use` returns. A file that cannot be opened, a folder, or a read
 * that fails is an `unreadable` ElfError naming the file.
 */
export const withFileSource = <A>(file: string, use: (source: ByteSource) => E.Either<ElfError, A>, name: string = file): E.Either<ElfError, A> => {
  let fd: number;
  try {
    // Checked before opening: open(2) of a FIFO waits for a writer, forever.
    if (!statSync(file).isFile()) return E.left(elfError(name, "not-elf", "not an ELF file: not a regular file"));
    fd = openSync(file, "r");
  } catch (e) {
    return E.left(elfError(name, "unreadable", `cannot open: ${reason(e)}`));
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return E.left(elfError(name, "not-elf", "not an ELF file: not a regular file"));
    const size = stat.size;
    const source: ByteSource = {
      size,
      read: (offset, length) => {
        const buffer = Buffer.alloc(length);
        let done = 0;
        while (done < length) {
          const n = readSync(fd, buffer, done, length - done, offset + done);
          if (n === 0) break; // shrank while being read: the parser sees zeros and says so
          done += n;
        }
        return buffer;
      },
    };
    return use(source);
  } catch (e) {
    return E.left(elfError(name, "unreadable", `cannot read: ${reason(e)}`));
  } finally {
    closeSync(fd);
  }
};

/** Reads `length` bytes at `offset`, or says which part (`what`) lies outside the file. */
export const slice = (source: ByteSource, file: string, offset: number, length: number, what: string): E.Either<ElfError, Uint8Array> =>
  offset < 0 || length < 0 || !Number.isSafeInteger(offset + length) || offset + length > source.size
    ? E.left(elfError(file, offset > source.size ? "malformed" : "truncated", `${what} (offset ${offset}, ${length} bytes) lies past the end of the file (${source.size} bytes)`))
    : E.right(source.read(offset, length));
