import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import * as path from "node:path";
import type { StepOf } from "@ocistage/program";
import type { BuildError } from "../BuildError.ts";
import type { TreeNode } from "../LayerTree.ts";
import type { StoredBlob } from "../blobStore.ts";
import { reuseBlob } from "../blobStore.ts";
import type { LayerStorage, StoredLayer } from "../compress/LayerStorage.ts";
import type { BuildCache } from "./buildCache.ts";
import { readRecord, recordName, writeRecord } from "./buildCache.ts";
import { layerRecord } from "./CacheRecord.ts";
import { layerKey } from "./layerKey.ts";
import { inputTimes, safeToRecord } from "./racyClean.ts";

// How the build uses its cache: "use" (the default) reuses a layer whose key has a record;
// "verify" (--verify-inputs) re-reads and re-hashes every layer's inputs and reuses the blob
// only when the digest is the recorded one; "off" (--no-cache) neither reads nor writes it.
export type CacheMode = "use" | "verify" | "off";

// Where a layer's blob came from, for --json and the tests.
// - built: tarred from its inputs (no record, or --no-cache);
// - reused: its key had a record; the blob was in the output folder already, or linked from
//   the folder the record names, no input read;
// - verified: --verify-inputs re-read its inputs, the digest was the recorded one, blob linked;
// - rebuilt: --verify-inputs found the record wrong (an input changed without its size, times
//   or inode changing) and tarred the layer again.
export type LayerSource = "built" | "reused" | "verified" | "rebuilt";

// The two things the build does with a layer's tree; injected so tests can count them. `write`
// stores the layer as `storage` says; `digest` is the uncompressed tar's (the diff_id), whatever
// the layer's compression: --verify-inputs checks a compressed layer's inputs without compressing.
export interface LayerTars {
  readonly write: (layout: string, nodes: readonly TreeNode[], mtime: number, at: string, storage: LayerStorage) => TE.TaskEither<BuildError, StoredLayer>;
  readonly digest: (nodes: readonly TreeNode[], mtime: number, at: string) => TE.TaskEither<BuildError, StoredBlob>;
}

export interface LayerJob {
  readonly cache: O.Option<BuildCache>; // none with --no-cache
  readonly mode: CacheMode;
  readonly layout: string;
  readonly tars: LayerTars;
  readonly assemble: StepOf<"AssembleRootfs">;
  readonly tar: StepOf<"TarLayer">;
  readonly storage: LayerStorage; // the tar step's compression, and the build's compressing threads
  readonly nodes: readonly TreeNode[]; // in tar order
  readonly statedAtNs: bigint; // when the tree's lstat calls began
}

export interface CachedLayer {
  readonly blob: StoredLayer;
  readonly source: LayerSource;
  readonly record: O.Option<string>; // the record file this build used or made, kept by pruning
}

export const cachedLayer = (job: LayerJob): TE.TaskEither<BuildError, CachedLayer> => {
  const { tar, nodes, layout } = job;
  const tarInto = (): TE.TaskEither<BuildError, StoredLayer> => job.tars.write(layout, nodes, tar.mtime, tar.name, job.storage);
  if (O.isNone(job.cache) || job.mode === "off")
    return pipe(
      tarInto(),
      TE.map((blob) => ({ blob, source: "built", record: O.none })),
    );
  const cache = job.cache.value;
  const key = layerKey(job.assemble, tar, nodes);
  const name = recordName("layer", key);
  const write = (source: LayerSource): TE.TaskEither<BuildError, CachedLayer> =>
    pipe(
      tarInto(),
      TE.chain((blob) =>
        safeToRecord(inputTimes(nodes), job.statedAtNs)
          ? pipe(
              writeRecord(cache, "layer", key, layerRecord(blob.digest, blob.size, blob.diffId, path.resolve(layout))),
              TE.map((): CachedLayer => ({ blob, source, record: O.some(name) })),
            )
          : TE.right({ blob, source, record: O.none }),
      ),
    );
  const reuse = (elsewhere: string, blob: StoredLayer, source: LayerSource): TE.TaskEither<BuildError, CachedLayer> =>
    pipe(
      reuseBlob([elsewhere], layout, blob, tar.name),
      TE.chain(O.match(() => write("built"), () => TE.right<BuildError, CachedLayer>({ blob, source, record: O.some(name) }))),
    );
  return pipe(
    TE.fromTask(readRecord(cache, "layer", key)),
    TE.chain((found) => {
      if (O.isNone(found) || found.value._tag !== "Layer") return write("built");
      const previous = found.value.layout;
      const recorded: StoredLayer = { digest: found.value.digest, size: found.value.size, diffId: found.value.diffId };
      if (job.mode === "use") return reuse(previous, recorded, "reused");
      return pipe(
        job.tars.digest(nodes, tar.mtime, tar.name),
        // The tar's digest is the diff_id: a compressed layer whose inputs check out is not compressed again.
        TE.chain((actual) => (actual.digest === recorded.diffId ? reuse(previous, recorded, "verified") : write("rebuilt"))),
      );
    }),
  );
};
