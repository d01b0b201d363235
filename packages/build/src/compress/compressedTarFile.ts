import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import type { TarDigest, TarError, TarFormat, TarItems } from "@ocistage/tar";
import { reasonOf, writeTar } from "@ocistage/tar";
import type { CompressedBlob } from "./BlockCompressingWriter.ts";
import { BlockCompressingWriter } from "./BlockCompressingWriter.ts";
import type { BlockCodec, CompressionPool } from "./compressionPool.ts";

/** A compressed layer file: the uncompressed tar's digest (its diff_id) and the stored blob's. */
export interface CompressedTar {
  readonly diffId: TarDigest;
  readonly blob: CompressedBlob;
}

/** How a tar is compressed: the codec, its level, the threads, and how many blocks may be in flight. */
export interface TarCompression {
  readonly codec: BlockCodec;
  readonly level: number;
  readonly pool: CompressionPool;
  readonly window: number;
}

/**
 * Writes the tar of `items` compressed into the file `path` in one pass (BlockCompressingWriter),
 * hashing the tar on the way in and the compressed bytes on the way out. The file is complete and
 * closed when the task succeeds, and removed when it fails.
 */
export const writeCompressedTarFile =
  (items: TarItems, path: string, format: TarFormat, compression: TarCompression): TE.TaskEither<TarError, CompressedTar> =>
  async () => {
    const file = await fs.open(path, "w").catch((e: unknown) => e as Error);
    if (file instanceof Error) return E.left({ _tag: "WriteFailed", reason: reasonOf(file) });
    const writer = new BlockCompressingWriter(file, compression.codec, compression.level, compression.pool, compression.window);
    const tar = await writeTar(items, writer, { recycle: true, format })();
    const closed = await file.close().then(
      () => undefined,
      (e: unknown) => e,
    );
    const result: E.Either<TarError, CompressedTar> = E.isLeft(tar)
      ? tar
      : closed !== undefined
        ? E.left({ _tag: "WriteFailed", reason: reasonOf(closed) })
        : E.right({ diffId: tar.right, blob: writer.blob() });
    if (E.isLeft(result)) await fs.rm(path, { force: true });
    return result;
  };
