import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { baseBlobFiles } from "@ocistage/base";
import type { BaseMaterialiser } from "@ocistage/base";
import type { StepOf } from "@ocistage/program";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";
import type { StoredBlob } from "./blobStore.ts";
import { blobFile } from "./blobStore.ts";
import { temporaryPath } from "./temporaryPath.ts";

// A blob of the right size already in the layout is kept, as every blob the build writes is.
const hasBlob = async (file: string, size: number): Promise<boolean> => {
  const stat = await fs.lstat(file).catch(() => undefined);
  return stat !== undefined && stat.isFile() && stat.size === size;
};

// Copies `from` to a temporary in the layout, hashing on the way; renamed to its digest only if
// the bytes are the ones the base's manifest names.
const copyChecked = async (from: string, layout: string, digest: string, size: number): Promise<string | undefined> => {
  const temporary = temporaryPath(layout, "base-blob");
  const hash = createHash("sha256");
  let bytes = 0;
  try {
    await pipeline(
      createReadStream(from),
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(temporary),
    );
    const got = `sha256:${hash.digest("hex")}`;
    if (got !== digest || bytes !== size) return `holds other bytes (${bytes} bytes, ${got}) than the base's manifest names (${size} bytes, ${digest}): the base changed since the spec was read, or is damaged`;
    await fs.rename(temporary, blobFile(layout, digest));
    return undefined;
  } finally {
    await fs.rm(temporary, { force: true });
  }
};

/**
 * The import-base step: every layer blob of the base, copied into the layout `dir` by digest
 * (never re-tarred), each hashed as it is copied and refused if it is not what the base's manifest
 * names. Blobs already in the layout with the right size are kept. Returns the stored blobs, in the
 * base's layer order, and which of them were copied now.
 */
export const importBase =
  (step: StepOf<"ImportBase">, sourceRoot: string, dir: string, materialise?: BaseMaterialiser): TE.TaskEither<BuildError, { readonly blobs: readonly StoredBlob[]; readonly copied: ReadonlySet<string> }> =>
  async () => {
    const scratch = temporaryPath(dir, "base");
    const copied = new Set<string>();
    try {
      const files = await baseBlobFiles(step.base, sourceRoot, scratch, materialise);
      for (const layer of step.base.layers) {
        const target = blobFile(dir, layer.digest);
        if (await hasBlob(target, layer.size)) continue;
        const from = files.get(layer.digest) ?? "";
        const problem = await copyChecked(from, dir, layer.digest, layer.size);
        if (problem !== undefined) return E.left({ _tag: "SourceChanged", at: `${step.name} from`, path: `${step.base.written} blob ${layer.digest}`, reason: problem });
        copied.add(layer.digest);
      }
      return E.right({ blobs: step.base.layers.map((l) => ({ digest: l.digest, size: l.size })), copied });
    } catch (e) {
      return E.left({ _tag: "SourceMissing", at: `${step.name} from`, path: step.base.written, reason: reasonOf(e) });
    } finally {
      await fs.rm(scratch, { recursive: true, force: true });
    }
  };
