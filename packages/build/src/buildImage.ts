import * as A from "fp-ts/lib/Array.js";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { MediaType, canonicalJsonBytes, descriptor, imageIndex, imageManifest, indexEntry, withDiffIds } from "@ocistage/oci";
import type { Descriptor, Digest, Json } from "@ocistage/oci";
import type { Program, Step, StepHandlers, StepOf } from "@ocistage/program";
import { matchStep, resolveRefName } from "@ocistage/program";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";
import { assembleTree, orderedNodes } from "./assembleTree.ts";
import type { BlobOrigin, StoredBlob } from "./blobStore.ts";
import { blobHex, blobsDir, hashFile, putBlobBytes, verifyBlobs } from "./blobStore.ts";
import type { BuildCache } from "./cache/buildCache.ts";
import { defaultCacheDir, openBuildCache } from "./cache/buildCache.ts";
import type { ArchiveWriter, CachedArchive } from "./cache/cachedArchive.ts";
import { cachedArchive } from "./cache/cachedArchive.ts";
import type { CacheMode, CachedLayer, LayerSource, LayerTars } from "./cache/cachedLayer.ts";
import { cachedLayer } from "./cache/cachedLayer.ts";
import { digestLayerTar } from "./cache/digestLayerTar.ts";
import { outputOutsideSources } from "./outputOutsideSources.ts";
import type { OutputFolder } from "./outputFolder.ts";
import { abandonOutput, openOutput, publishOutput } from "./outputFolder.ts";
import { temporaryPath } from "./temporaryPath.ts";
import { importBase } from "./importBase.ts";
import type { BaseMaterialiser } from "@ocistage/base";
import { writeLayoutArchive, writeLayerTar } from "./writeTreeTar.ts";
import type { CompressionPool } from "./compress/compressionPool.ts";
import { openCompressionPool } from "./compress/compressionPool.ts";

export interface BuildOptions {
  readonly sourceRoot: string; // the spec's folder: relative sources start here
  readonly out: string; // the OCI layout folder to write (made, or updated in place)
  readonly cache?: CacheMode; // default "use"
  readonly cacheDir?: string; // default: defaultCacheDir(process.env)
  readonly parallelism?: number; // layers tarred at once; default: the cores, at most 4
  // How a docker-archive or registry base's blobs are reached (the edge's converters); oci: and
  // oci-archive: bases need none.
  readonly materialiseBase?: BaseMaterialiser;
  readonly compressionThreads?: number; // worker threads compressing blocks; default: the cores
}

// The functions that read or write layer data, injected so tests can count them (a no-op
// rebuild must call none of them for a layer) and run the same build with other settings.
export interface BuildDependencies {
  readonly layerTars: LayerTars;
  readonly writeArchive: ArchiveWriter;
  readonly hashBlob: (file: string) => Promise<string>; // verify-blobs, for blobs the archive did not read
}

export const defaultBuildDependencies: BuildDependencies = {
  layerTars: { write: writeLayerTar, digest: digestLayerTar },
  writeArchive: writeLayoutArchive,
  hashBlob: hashFile,
};

// A descriptor of something the build wrote, for `--json` and for callers.
export interface BuiltDescriptor {
  readonly role: string; // "layer busybox", "config", "manifest"
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

// How each layer and the archive were obtained: tarred, or reused through the cache.
export interface BuiltLayer {
  readonly layer: string;
  readonly digest: string; // the blob: the stored bytes
  readonly size: number;
  readonly diffId: string; // the uncompressed tar's sha256 (the blob's digest when uncompressed)
  readonly source: LayerSource;
}

/** An entry of the index.json the build wrote: what it names, as what, and the image(s) behind it. */
export interface BuiltReference {
  readonly reference: string; // the ref.name annotation: `oci:DIR:REFERENCE`
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly images: readonly string[]; // ids of the images it reaches
}

export interface BuildResult {
  readonly out: string;
  readonly references: readonly BuiltReference[];
  readonly manifest: BuiltDescriptor; // the first image's manifest
  readonly descriptors: readonly BuiltDescriptor[];
  readonly layers: readonly BuiltLayer[];
  readonly archive: CachedArchive["source"];
  // Wall time of the steps that touch data, in program order: where a build's time went.
  // Layer steps and verify-blobs overlap with others, so they do not add up to the whole.
  readonly timings: readonly StepTiming[];
}

export interface StepTiming {
  readonly step: string;
  readonly ms: number;
}

type LayerResult = Promise<E.Either<BuildError, CachedLayer>>;

// What the fold carries from step to step. Layer jobs run in the background (several at once),
// so the state holds their promises; write-config is the first step that waits for them.
interface BuildState {
  readonly dir: string;
  readonly assembles: ReadonlyMap<string, StepOf<"AssembleRootfs">>;
  readonly jobs: ReadonlyMap<string, LayerResult>;
  readonly layers: ReadonlyMap<string, CachedLayer>;
  readonly configs: ReadonlyMap<string, StoredBlob>; // by image id
  readonly manifests: ReadonlyMap<string, StoredBlob>; // by image id
  readonly imageIndexes: ReadonlyMap<string, StoredBlob>; // by group id
  readonly bases: ReadonlyMap<string, readonly StoredBlob[]>; // by import step name: the base's layer blobs
  // index.json is written to a temporary and put in place last, after the archive.
  readonly index?: { readonly bytes: Uint8Array; readonly temporary: string; readonly references: readonly BuiltReference[] };
  readonly verify: boolean; // the program has a verify-blobs step
  readonly archive?: CachedArchive;
  readonly archiveName?: string;
}

// The parts of a build that are effects shared by its concurrent jobs: one per buildImage call.
interface Execution {
  readonly program: Program;
  readonly options: BuildOptions;
  readonly dependencies: BuildDependencies;
  readonly cache: O.Option<BuildCache>;
  readonly mode: CacheMode;
  readonly limit: Limiter;
  readonly pool: CompressionPool; // threads for compressed layers, started by the first block
  readonly threads: number;
  readonly origins: Map<string, BlobOrigin>; // blob hex → what verify-blobs must check
  readonly started: Promise<unknown>[]; // every job, so a failed build waits for all before cleaning up
  readonly timings: Map<string, number>;
  failure: BuildError | undefined; // the first job failure: jobs not started yet are skipped
}

const io = (at: string, file: string) => (e: unknown): BuildError => ({ _tag: "Io", at, path: file, reason: reasonOf(e) });
const descriptorOf = (mediaType: string, blob: StoredBlob): Descriptor => descriptor({ mediaType, digest: blob.digest as Digest, size: blob.size });

const need = <A>(value: A | undefined, what: string): A => {
  if (value === undefined) throw new Error(`bug: ${what} is not known yet; the program's steps are out of order`);
  return value;
};

// Runs at most `width` tasks at once, the rest in the order they were asked for.
type Limiter = <A>(task: () => Promise<A>) => Promise<A>;

const limiter = (width: number): Limiter => {
  let active = 0;
  const queue: (() => void)[] = [];
  return <A>(task: () => Promise<A>): Promise<A> =>
    new Promise<A>((resolve, reject) => {
      const run = (): void => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            queue.shift()?.();
          });
      };
      if (active < width) run();
      else queue.push(run);
    });
};

// One layer, from lstat to blob: assembled only when its turn comes, so at most `parallelism`
// trees are in memory at once.
const layerJob = (x: Execution, dir: string, assemble: StepOf<"AssembleRootfs">, tar: StepOf<"TarLayer">): TE.TaskEither<BuildError, CachedLayer> => {
  if (x.failure !== undefined) return TE.left(x.failure);
  const statedAtNs = BigInt(Date.now()) * 1_000_000n;
  return pipe(
    assembleTree(assemble, x.options.sourceRoot),
    TE.chain((tree) => cachedLayer({ cache: x.cache, mode: x.mode, layout: dir, tars: x.dependencies.layerTars, assemble, tar, storage: { compression: tar.compression, pool: x.pool, threads: x.threads }, nodes: orderedNodes(tree), statedAtNs })),
  );
};

const stepRunner = (x: Execution, dir: string): StepHandlers<(state: BuildState) => TE.TaskEither<BuildError, BuildState>> => ({
  // Replaced by rename: an existing layout's oci-layout is never seen half written.
  WriteLayoutFile: (step) => (state) => {
    const temporary = temporaryPath(dir, "oci-layout");
    return pipe(
      TE.tryCatch(async () => {
        await fs.writeFile(temporary, step.content);
        await fs.rename(temporary, path.join(dir, "oci-layout"));
      }, io(step.name, "oci-layout")),
      TE.map(() => state),
    );
  },
  ImportBase: (step) => (state) =>
    pipe(
      timed(x, step.name, importBase(step, x.options.sourceRoot, dir, x.options.materialiseBase)),
      TE.map(({ blobs, copied }) => {
        for (const blob of blobs) {
          const hex = blobHex(blob.digest);
          if (copied.has(blob.digest)) x.origins.set(hex, { _tag: "Written" });
          else if (x.origins.get(hex)?._tag !== "Written") x.origins.set(hex, { _tag: "Reused", size: blob.size });
        }
        return { ...state, bases: new Map([...state.bases, [step.name, blobs]]) };
      }),
    ),
  // Nothing is read yet: the tar-layer step's job assembles the tree when it starts.
  AssembleRootfs: (step) => (state) => TE.right({ ...state, assembles: new Map([...state.assembles, [step.layer, step]]) }),
  TarLayer: (step) => (state) => {
    const assemble = need(state.assembles.get(step.layer), `the assemble step of layer ${step.layer}`);
    const job = x.limit(async () => {
      const start = performance.now();
      const result = await layerJob(x, dir, assemble, step)().catch((e: unknown) => E.left<BuildError, CachedLayer>(io(step.name, "")(e)));
      if (E.isLeft(result)) x.failure ??= result.left;
      else noteBlob(x, result.right);
      x.timings.set(step.name, performance.now() - start);
      return result;
    });
    x.started.push(job);
    return TE.right({ ...state, jobs: new Map([...state.jobs, [step.layer, job]]) });
  },
  WriteConfig: (step) => (state) =>
    pipe(
      awaitLayers(state),
      TE.chain((settled) => {
        const diffIds = [
          ...(step.base?.layers ?? []).map((l) => l.diffId as Digest),
          ...step.layers.map((layer) => need(settled.layers.get(layer), `layer ${layer}`).blob.diffId as Digest),
        ];
        const config = withDiffIds(step.config, diffIds);
        return pipe(
          putBlobBytes(dir, canonicalJsonBytes(config), step.name),
          TE.map((blob) => ({ ...settled, configs: new Map([...settled.configs, [step.image, blob]]) })),
        );
      }),
    ),
  WriteManifest: (step) => (state) =>
    pipe(
      awaitLayers(state),
      TE.chain((settled) => {
        const manifest = imageManifest({
          config: descriptorOf(MediaType.imageConfig, need(settled.configs.get(step.image), `the config of ${step.image}`)),
          layers: [
            ...(step.base?.layers ?? []).map((l) => descriptorOf(l.mediaType, { digest: l.digest, size: l.size })),
            ...step.layers.map(({ layer, mediaType }) => descriptorOf(mediaType, need(settled.layers.get(layer), `layer ${layer}`).blob)),
          ],
          annotations: step.annotations,
          artifactType: step.artifactType,
        });
        return pipe(
          putBlobBytes(dir, canonicalJsonBytes(manifest), step.name),
          TE.map((blob) => ({ ...settled, manifests: new Map([...settled.manifests, [step.image, blob]]) })),
        );
      }),
    ),
  WriteImageIndex: (step) => (state) => {
    const index = imageIndex({
      manifests: step.manifests.map((m) => indexEntry({ target: descriptorOf(MediaType.imageManifest, need(state.manifests.get(m.image), `the manifest of ${m.image}`)), platform: m.platform })),
    });
    return pipe(
      putBlobBytes(dir, canonicalJsonBytes(index), step.name),
      TE.map((blob) => ({ ...state, imageIndexes: new Map([...state.imageIndexes, [step.group, blob]]) })),
    );
  },
  WriteIndex: (step) => (state) => {
    const references = step.entries.map((entry): BuiltReference & { readonly descriptor: Descriptor } => {
      const { target } = entry;
      const [mediaType, blob, images] =
        target._tag === "Manifest"
          ? [MediaType.imageManifest, need(state.manifests.get(target.image), `the manifest of ${target.image}`), [target.image]]
          : [MediaType.imageIndex, need(state.imageIndexes.get(target.group), `the image index of ${target.group}`), imagesOfGroup(x.program, target.group)];
      const reference = resolveRefName(entry.reference, blob.digest);
      return {
        reference,
        mediaType,
        ...blob,
        images,
        descriptor: indexEntry({ target: descriptorOf(mediaType, blob), tag: reference, platform: target._tag === "Manifest" ? target.platform : undefined }),
      };
    });
    const indexBytes = canonicalJsonBytes(imageIndex({ manifests: references.map((r) => r.descriptor) }));
    const temporary = temporaryPath(dir, "index");
    return pipe(
      TE.tryCatch(() => fs.writeFile(temporary, indexBytes), io(step.name, "index.json")),
      TE.map(() => ({ ...state, index: { bytes: indexBytes, temporary, references: references.map(({ descriptor: _d, ...r }) => r) } })),
    );
  },
  // Checks every blob: those written now are hashed again, those reused through the cache are
  // checked against its record. The archive step reads every blob anyway, so the check is made
  // on that read (writeLayoutArchive hashes each blob it archives) and finished once it is
  // done; the build publishes nothing before. Without an archive step, verification() reads
  // them itself.
  VerifyBlobs: () => (state) => TE.right({ ...state, verify: true }),
  // The build interpreter reads sources in place: there is no scratch folder to remove.
  CleanScratch: () => (state) => TE.right(state),
  ArchiveLayout: (step) => (state) => {
    const index = need(state.index, "index.json");
    const blobs = referencedBlobs(state);
    return pipe(
      TE.tryCatch(() => fs.readFile(path.join(dir, "oci-layout")), io(step.name, "oci-layout")),
      TE.chain((ociLayout) =>
        timed(
          x,
          step.name,
          cachedArchive({
            cache: x.cache,
            input: { layout: dir, index: index.temporary, blobs: [...blobs.keys()], target: temporaryPath(dir, "archive"), epoch: x.program.sourceDateEpoch, at: step.name },
            contents: { archive: step.archive, epoch: x.program.sourceDateEpoch, ociLayout, index: index.bytes, blobs },
            write: x.dependencies.writeArchive,
          }),
        ),
      ),
      TE.map((archive) => ({ ...state, archive, archiveName: step.archive })),
    );
  },
});

const imagesOfGroup = (program: Program, group: string): readonly string[] =>
  program.steps.flatMap((s) => (s._tag === "WriteImageIndex" && s.group === group ? s.manifests.map((m) => m.image) : []));

// Every blob the new index.json reaches (hex → size): layers, configs, manifests, image indexes.
const referencedBlobs = (state: BuildState): ReadonlyMap<string, number> =>
  new Map(
    [...[...state.layers.values()].map((l) => l.blob), ...[...state.bases.values()].flat(), ...state.configs.values(), ...state.manifests.values(), ...state.imageIndexes.values()].map((b) => [blobHex(b.digest), b.size] as const),
  );

const timed =
  <E, A>(x: Execution, step: string, task: TE.TaskEither<E, A>): TE.TaskEither<E, A> =>
  async () => {
    const start = performance.now();
    const result = await task();
    x.timings.set(step, performance.now() - start);
    return result;
  };

// Remembers how verify-blobs must check the blob a layer job produced.
const noteBlob = (x: Execution, layer: CachedLayer): void => {
  const hex = blobHex(layer.blob.digest);
  if (layer.source === "built" || layer.source === "rebuilt") x.origins.set(hex, { _tag: "Written" });
  else if (x.origins.get(hex)?._tag !== "Written") x.origins.set(hex, { _tag: "Reused", size: layer.blob.size });
};

// Waits for every layer job started so far and reports the first failure in program order,
// whichever finished first, so a build fails the same way every time.
const awaitLayers = (state: BuildState): TE.TaskEither<BuildError, BuildState> => async () => {
  const layers = new Map(state.layers);
  for (const [layer, job] of state.jobs) {
    const result = await job;
    if (E.isLeft(result)) return result;
    layers.set(layer, result.right);
  }
  return E.right({ ...state, jobs: new Map(), layers });
};

const verification = (x: Execution, state: BuildState): TE.TaskEither<BuildError, BuildState> =>
  !state.verify
    ? TE.right(state)
    : pipe(
        timed(x, "verify-blobs", verifyBlobs(state.dir, new Set(referencedBlobs(state).keys()), x.origins, state.archive?.archived ?? new Map(), x.dependencies.hashBlob)),
        TE.chain((problems) => (problems.length === 0 ? TE.right(state) : TE.left<BuildError, BuildState>({ _tag: "VerifyFailed", issues: problems }))),
      );

const execute = (x: Execution, dir: string): TE.TaskEither<BuildError, BuildState> => {
  const run = matchStep(stepRunner(x, dir));
  const initial: BuildState = { dir, assembles: new Map(), jobs: new Map(), layers: new Map(), configs: new Map(), manifests: new Map(), imageIndexes: new Map(), bases: new Map(), verify: false };
  return pipe(
    TE.right<BuildError, void>(undefined),
    TE.chain(() => A.reduce<Step, TE.TaskEither<BuildError, BuildState>>(TE.right(initial), (acc, step) => pipe(acc, TE.chain(run(step))))([...x.program.steps])),
    TE.chain(awaitLayers),
    TE.chain((state) => verification(x, state)),
  );
};

const resultOf = (x: Execution, state: BuildState): BuildResult => {
  const firstImage = x.program.images[0]?.id ?? "";
  const manifest = { role: "manifest", mediaType: MediaType.imageManifest, ...need(state.manifests.get(firstImage), "the manifest") };
  const tars = x.program.steps.flatMap((s) => (s._tag === "TarLayer" ? [{ step: s, built: need(state.layers.get(s.layer), s.layer) }] : []));
  const several = x.program.images.length > 1;
  const documents = x.program.steps.flatMap((s): readonly BuiltDescriptor[] => {
    const of = several ? ` ${s._tag === "WriteImageIndex" ? s.group : "image" in s ? s.image : ""}` : "";
    if (s._tag === "WriteConfig") return [{ role: `config${of}`, mediaType: MediaType.imageConfig, ...need(state.configs.get(s.image), s.name) }];
    if (s._tag === "WriteManifest") return [{ role: `manifest${of}`, mediaType: MediaType.imageManifest, ...need(state.manifests.get(s.image), s.name) }];
    if (s._tag === "WriteImageIndex") return [{ role: `image index${of}`, mediaType: MediaType.imageIndex, ...need(state.imageIndexes.get(s.group), s.name) }];
    return [];
  });
  return {
    out: path.resolve(x.options.out),
    references: need(state.index, "index.json").references,
    manifest,
    descriptors: [...tars.map(({ step, built }) => ({ role: `layer ${step.layer}`, mediaType: step.mediaType, digest: built.blob.digest, size: built.blob.size })), ...documents],
    layers: tars.map(({ step, built }) => ({ layer: step.layer, ...built.blob, source: built.source })),
    archive: state.archive?.source ?? "built",
    timings: x.program.steps.flatMap((s) => {
      const ms = x.timings.get(s.name);
      return ms === undefined ? [] : [{ step: s.name, ms: Math.round(ms) }];
    }),
  };
};

/**
 * Runs a program into the OCI layout `options.out` (image-spec image-layout.md): made if absent,
 * updated in place if it holds a layout. Blobs are added by rename, image.oci.tar and then
 * index.json replaced whole by rename, and the blobs the new index does not reach removed last;
 * a failed or killed build leaves the previous index.json and every blob it names. Errors are
 * BuildError values (formatBuildError renders them; isEnvironmentError says which exit 3).
 */
export const buildImage = (program: Program, options: BuildOptions, dependencies: BuildDependencies = defaultBuildDependencies): TE.TaskEither<BuildError, BuildResult> => {
  const mode = options.cache ?? "use";
  const width = Math.max(1, options.parallelism ?? Math.min(4, availableParallelism()));
  const cache: O.Option<BuildCache> = mode === "off" ? O.none : O.some(openBuildCache(options.cacheDir ?? defaultCacheDir(process.env)));
  return pipe(
    TE.fromEither(outputOutsideSources(program, options.sourceRoot, options.out)),
    TE.chain(() => openOutput(options.out)),
    TE.chain((folder: OutputFolder) => {
      const dir = folder.out;
      const threads = Math.max(1, options.compressionThreads ?? availableParallelism());
      const pool = openCompressionPool(threads);
      const x: Execution = { program, options, dependencies, cache, mode, limit: limiter(width), pool, threads, origins: new Map(), started: [], timings: new Map(), failure: undefined };
      const finish = async (): Promise<void> => {
        await Promise.allSettled(x.started);
        await pool.close();
      };
      return pipe(
        execute(x, dir),
        TE.chainFirst(() => TE.fromTask(finish)),
        // A failed build removes what it added once no job writes any more; DIR keeps the previous image.
        TE.orElse((error) =>
          pipe(
            TE.fromTask(finish),
            TE.chain(() => TE.fromTask(abandonOutput(folder))),
            TE.chain(() => TE.left<BuildError, BuildState>(error)),
          ),
        ),
        TE.chain((state) =>
          pipe(
            publishOutput(folder, {
              index: need(state.index, "index.json").bytes,
              ...(state.archive?.temporary === undefined ? {} : { archive: { temporary: state.archive.temporary, name: state.archiveName ?? "image.oci.tar" } }),
              referenced: new Set(referencedBlobs(state).keys()),
            }),
            TE.map(() => resultOf(x, state)),
          ),
        ),
      );
    }),
  );
};
