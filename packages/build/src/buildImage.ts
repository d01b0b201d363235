import * as A from "fp-ts/lib/Array.js";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { MediaType, canonicalJson } from "@ocistage/oci";
import type { Json } from "@ocistage/oci";
import type { Program, Step, StepHandlers, StepOf } from "@ocistage/program";
import { matchStep } from "@ocistage/program";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";
import { assembleTree, orderedNodes } from "./assembleTree.ts";
import type { BlobOrigin, StoredBlob } from "./blobStore.ts";
import { blobHex, blobsDir, hashFile, putBlobBytes, verifyBlobs } from "./blobStore.ts";
import type { BuildCache } from "./cache/buildCache.ts";
import { dropOrphanCache, openBuildCache, pruneCache } from "./cache/buildCache.ts";
import type { ArchiveWriter, CachedArchive } from "./cache/cachedArchive.ts";
import { cachedArchive } from "./cache/cachedArchive.ts";
import type { CacheMode, CachedLayer, LayerSource, LayerTars } from "./cache/cachedLayer.ts";
import { cachedLayer } from "./cache/cachedLayer.ts";
import { digestLayerTar } from "./cache/digestLayerTar.ts";
import { outputOutsideSources } from "./outputOutsideSources.ts";
import { discardBuildDir, publishBuildDir, startBuildDir } from "./publishOutput.ts";
import { writeLayoutArchive, writeLayerTar } from "./writeTreeTar.ts";

export interface BuildOptions {
  readonly sourceRoot: string; // the spec's folder: relative sources start here
  readonly out: string;
  readonly cache?: CacheMode; // default "use"
  readonly parallelism?: number; // layers tarred at once; default: the cores, at most 4
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
  readonly digest: string;
  readonly size: number;
  readonly source: LayerSource;
}

export interface BuildResult {
  readonly out: string;
  readonly layoutDir: string; // the content-named folder DIR points at
  readonly manifest: BuiltDescriptor;
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
  readonly config?: StoredBlob;
  readonly manifest?: StoredBlob;
  // The layout is named by index.json's hash, which covers the tag as well as the manifest:
  // a tag-only change must not keep an earlier folder whose index names the old tag.
  readonly indexDigest?: string;
  readonly verify: boolean; // the program has a verify-blobs step
  readonly archive?: CachedArchive;
}

// The parts of a build that are effects shared by its concurrent jobs: one per buildImage call.
interface Execution {
  readonly program: Program;
  readonly options: BuildOptions;
  readonly dependencies: BuildDependencies;
  readonly cache: O.Option<BuildCache>;
  readonly mode: CacheMode;
  readonly limit: Limiter;
  readonly origins: Map<string, BlobOrigin>; // blob hex → what verify-blobs must check
  readonly started: Promise<unknown>[]; // every job, so a failed build waits for all before cleaning up
  readonly timings: Map<string, number>;
  failure: BuildError | undefined; // the first job failure: jobs not started yet are skipped
}

const io = (at: string, file: string) => (e: unknown): BuildError => ({ _tag: "Io", at, path: file, reason: reasonOf(e) });
const bytes = (value: Json): Uint8Array => Buffer.from(canonicalJson(value), "utf8");
const descriptorOf = (mediaType: string, blob: StoredBlob): Json => ({ mediaType, digest: blob.digest, size: blob.size });

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
    TE.chain((tree) => cachedLayer({ cache: x.cache, mode: x.mode, layout: dir, tars: x.dependencies.layerTars, assemble, tar, nodes: orderedNodes(tree), statedAtNs })),
  );
};

const stepRunner = (x: Execution, dir: string): StepHandlers<(state: BuildState) => TE.TaskEither<BuildError, BuildState>> => ({
  WriteLayoutFile: (step) => (state) =>
    pipe(
      TE.tryCatch(() => fs.writeFile(path.join(dir, "oci-layout"), step.content), io(step.name, "oci-layout")),
      TE.map(() => state),
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
        const diffIds = step.layers.map((layer) => need(settled.layers.get(layer), `layer ${layer}`).blob.digest);
        return pipe(
          putBlobBytes(dir, bytes({ ...step.config, rootfs: { type: "layers", diff_ids: diffIds } }), step.name),
          TE.map((config) => ({ ...settled, config })),
        );
      }),
    ),
  WriteManifest: (step) => (state) =>
    pipe(
      awaitLayers(state),
      TE.chain((settled) => {
        const manifest: Json = {
          schemaVersion: 2,
          mediaType: MediaType.imageManifest,
          config: descriptorOf(MediaType.imageConfig, need(settled.config, "the config")),
          layers: step.layers.map(({ layer, mediaType }) => descriptorOf(mediaType, need(settled.layers.get(layer), `layer ${layer}`).blob)),
          ...(Object.keys(step.annotations).length === 0 ? {} : { annotations: step.annotations }),
        };
        return pipe(
          putBlobBytes(dir, bytes(manifest), step.name),
          TE.map((blob) => ({ ...settled, manifest: blob })),
        );
      }),
    ),
  WriteIndex: (step) => (state) => {
    const manifest = need(state.manifest, "the manifest");
    const index: Json = {
      schemaVersion: 2,
      mediaType: MediaType.imageIndex,
      manifests: step.manifests.map((m) => ({
        ...(descriptorOf(MediaType.imageManifest, manifest) as Record<string, Json>),
        annotations: m.annotations,
        platform: { architecture: m.platform.architecture, os: m.platform.os, ...(m.platform.variant === undefined ? {} : { variant: m.platform.variant }) },
      })),
    };
    const indexBytes = bytes(index);
    return pipe(
      TE.tryCatch(() => fs.writeFile(path.join(dir, "index.json"), indexBytes), io(step.name, "index.json")),
      TE.map(() => ({ ...state, indexDigest: `sha256-${createHash("sha256").update(indexBytes).digest("hex")}` })),
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
  ArchiveLayout: (step) => (state) =>
    pipe(
      timed(x, step.name, cachedArchive({ cache: x.cache, layout: dir, archive: step.archive, epoch: x.program.sourceDateEpoch, at: step.name, write: x.dependencies.writeArchive })),
      TE.map((archive) => ({ ...state, archive })),
    ),
});

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
        timed(x, "verify-blobs", verifyBlobs(state.dir, x.origins, state.archive?.archived ?? new Map(), x.dependencies.hashBlob)),
        TE.chain((problems) => (problems.length === 0 ? TE.right(state) : TE.left<BuildError, BuildState>({ _tag: "VerifyFailed", issues: problems }))),
      );

const execute = (x: Execution, dir: string): TE.TaskEither<BuildError, BuildState> => {
  const run = matchStep(stepRunner(x, dir));
  const initial: BuildState = { dir, assembles: new Map(), jobs: new Map(), layers: new Map(), verify: false };
  return pipe(
    TE.tryCatch(() => fs.mkdir(blobsDir(dir), { recursive: true }), io("build", blobsDir(dir))),
    TE.chain(() => A.reduce<Step, TE.TaskEither<BuildError, BuildState>>(TE.right(initial), (acc, step) => pipe(acc, TE.chain(run(step))))([...x.program.steps])),
    TE.chain(awaitLayers),
    TE.chain((state) => verification(x, state)),
  );
};

const resultOf = (x: Execution, state: BuildState, layoutDir: string): BuildResult => {
  const manifest = { role: "manifest", mediaType: MediaType.imageManifest, ...need(state.manifest, "the manifest") };
  const config = { role: "config", mediaType: MediaType.imageConfig, ...need(state.config, "the config") };
  const tars = x.program.steps.flatMap((s) => (s._tag === "TarLayer" ? [{ step: s, built: need(state.layers.get(s.layer), s.layer) }] : []));
  return {
    out: path.resolve(x.options.out),
    layoutDir,
    manifest,
    descriptors: [...tars.map(({ step, built }) => ({ role: `layer ${step.layer}`, mediaType: step.mediaType, ...built.blob })), config, manifest],
    layers: tars.map(({ step, built }) => ({ layer: step.layer, ...built.blob, source: built.source })),
    archive: state.archive?.source ?? "built",
    timings: x.program.steps.flatMap((s) => {
      const ms = x.timings.get(s.name);
      return ms === undefined ? [] : [{ step: s.name, ms: Math.round(ms) }];
    }),
  };
};

// Records of this build stay; the rest name blobs that are gone with the previous build.
const liveRecords = (state: BuildState): ReadonlySet<string> =>
  new Set([...[...state.layers.values()].map((l) => l.record), state.archive?.record ?? O.none].flatMap((r) => (O.isSome(r) ? [r.value] : [])));

export const buildImage = (program: Program, options: BuildOptions, dependencies: BuildDependencies = defaultBuildDependencies): TE.TaskEither<BuildError, BuildResult> => {
  const mode = options.cache ?? "use";
  const width = Math.max(1, options.parallelism ?? Math.min(4, availableParallelism()));
  return pipe(
    TE.fromEither(outputOutsideSources(program, options.sourceRoot, options.out)),
    TE.chain(() => (mode === "off" ? TE.right<BuildError, O.Option<BuildCache>>(O.none) : pipe(openBuildCache(options.out), TE.map(O.some)))),
    TE.chain((cache) =>
      pipe(
        startBuildDir(options.out),
        TE.chain((dir) => {
          const x: Execution = { program, options, dependencies, cache, mode, limit: limiter(width), origins: new Map(), started: [], timings: new Map(), failure: undefined };
          const finish = async (): Promise<void> => {
            await Promise.allSettled(x.started);
          };
          return pipe(
            execute(x, dir),
            // A failed build removes its working folder once no job writes into it any more;
            // DIR keeps pointing at the previous image.
            TE.orElse((error) =>
              pipe(
                TE.fromTask(finish),
                TE.chain(() => (O.isSome(cache) ? TE.fromTask(dropOrphanCache(cache.value)) : TE.right(undefined))),
                TE.chain(() => discardBuildDir(options.out, dir)),
                TE.chain(() => TE.left<BuildError, BuildState>(error)),
              ),
            ),
            TE.chainFirst(() => TE.fromTask(finish)),
            TE.chain((state) =>
              pipe(
                publishBuildDir(options.out, dir, need(state.indexDigest, "index.json")),
                TE.chainFirst(() => (O.isSome(cache) ? TE.fromTask(pruneCache(cache.value, liveRecords(state))) : TE.right(undefined))),
                TE.map((layoutDir) => resultOf(x, state, layoutDir)),
              ),
            ),
          );
        }),
      ),
    ),
  );
};
