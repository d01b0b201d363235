import * as A from "fp-ts/lib/Array.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { MediaType, canonicalJson } from "@ocistage/oci";
import type { Json } from "@ocistage/oci";
import type { Program, Step, StepHandlers } from "@ocistage/program";
import { matchStep } from "@ocistage/program";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";
import { assembleTree, orderedNodes } from "./assembleTree.ts";
import type { LayerTree } from "./LayerTree.ts";
import type { StoredBlob } from "./blobStore.ts";
import { blobsDir, putBlobBytes, rehashBlobs } from "./blobStore.ts";
import { publishBuildDir, startBuildDir } from "./publishOutput.ts";
import { writeLayoutArchive, writeLayerTar } from "./writeTreeTar.ts";

export interface BuildOptions {
  readonly sourceRoot: string; // the spec's folder: relative sources start here
  readonly out: string;
}

// A descriptor of something the build wrote, for `--json` and for callers.
export interface BuiltDescriptor {
  readonly role: string; // "layer busybox", "config", "manifest"
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

export interface BuildResult {
  readonly out: string;
  readonly layoutDir: string; // the content-named folder DIR points at
  readonly manifest: BuiltDescriptor;
  readonly descriptors: readonly BuiltDescriptor[];
}

// What the fold carries from step to step: where it writes and what it has learned.
interface BuildState {
  readonly dir: string;
  readonly trees: ReadonlyMap<string, LayerTree>;
  readonly layers: ReadonlyMap<string, StoredBlob>;
  readonly config?: StoredBlob;
  readonly manifest?: StoredBlob;
}

const io = (at: string, file: string) => (e: unknown): BuildError => ({ _tag: "Io", at, path: file, reason: reasonOf(e) });
const bytes = (value: Json): Uint8Array => Buffer.from(canonicalJson(value), "utf8");
const descriptorOf = (mediaType: string, blob: StoredBlob): Json => ({ mediaType, digest: blob.digest, size: blob.size });

const need = <A>(value: A | undefined, what: string): A => {
  if (value === undefined) throw new Error(`bug: ${what} is not known yet; the program's steps are out of order`);
  return value;
};

type Run = (state: BuildState) => TE.TaskEither<BuildError, BuildState>;

// The build interpreter: one handler per step kind, run in program order (a topological order).
const stepRunner = (program: Program, options: BuildOptions): StepHandlers<Run> => ({
  WriteLayoutFile: (step) => (state) =>
    pipe(
      TE.tryCatch(() => fs.writeFile(path.join(state.dir, "oci-layout"), step.content), io(step.name, "oci-layout")),
      TE.map(() => state),
    ),
  AssembleRootfs: (step) => (state) =>
    pipe(
      assembleTree(step, options.sourceRoot),
      TE.map((tree) => ({ ...state, trees: new Map([...state.trees, [step.layer, tree]]) })),
    ),
  TarLayer: (step) => (state) =>
    pipe(
      writeLayerTar(state.dir, orderedNodes(need(state.trees.get(step.layer), `the tree of layer ${step.layer}`)), step.mtime, step.name),
      // The tree is dropped once tarred, so memory holds one layer's tree at a time, not the image's.
      TE.map((blob) => ({
        ...state,
        trees: new Map([...state.trees].filter(([layer]) => layer !== step.layer)),
        layers: new Map([...state.layers, [step.layer, blob]]),
      })),
    ),
  WriteConfig: (step) => (state) => {
    const diffIds = step.layers.map((layer) => need(state.layers.get(layer), `layer ${layer}`).digest);
    return pipe(
      putBlobBytes(state.dir, bytes({ ...step.config, rootfs: { type: "layers", diff_ids: diffIds } }), step.name),
      TE.map((config) => ({ ...state, config })),
    );
  },
  WriteManifest: (step) => (state) => {
    const manifest: Json = {
      schemaVersion: 2,
      mediaType: MediaType.imageManifest,
      config: descriptorOf(MediaType.imageConfig, need(state.config, "the config")),
      layers: step.layers.map(({ layer, mediaType }) => descriptorOf(mediaType, need(state.layers.get(layer), `layer ${layer}`))),
      ...(Object.keys(step.annotations).length === 0 ? {} : { annotations: step.annotations }),
    };
    return pipe(
      putBlobBytes(state.dir, bytes(manifest), step.name),
      TE.map((blob) => ({ ...state, manifest: blob })),
    );
  },
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
    return pipe(
      TE.tryCatch(() => fs.writeFile(path.join(state.dir, "index.json"), bytes(index)), io(step.name, "index.json")),
      TE.map(() => state),
    );
  },
  VerifyBlobs: () => (state) =>
    pipe(
      rehashBlobs(state.dir),
      TE.chain((problems) => (problems.length === 0 ? TE.right(state) : TE.left<BuildError, BuildState>({ _tag: "VerifyFailed", issues: problems }))),
    ),
  // The build interpreter keeps layer trees in memory and reads sources in place: no scratch to remove.
  CleanScratch: () => (state) => TE.right({ ...state, trees: new Map() }),
  ArchiveLayout: (step) => (state) =>
    pipe(
      writeLayoutArchive(state.dir, step.archive, program.sourceDateEpoch, step.name),
      TE.map(() => state),
    ),
});

export const buildImage = (program: Program, options: BuildOptions): TE.TaskEither<BuildError, BuildResult> => {
  const run = matchStep(stepRunner(program, options));
  return pipe(
    startBuildDir(options.out),
    TE.chain((dir) =>
      pipe(
        TE.tryCatch(() => fs.mkdir(blobsDir(dir), { recursive: true }), io("build", blobsDir(dir))),
        TE.chain(() =>
          A.reduce<Step, TE.TaskEither<BuildError, BuildState>>(TE.right({ dir, trees: new Map(), layers: new Map() }), (acc, step) => pipe(acc, TE.chain(run(step))))(
            [...program.steps],
          ),
        ),
        // A failed build removes its working folder; DIR keeps pointing at the previous image.
        TE.orElse((error) =>
          pipe(
            TE.tryCatch(() => fs.rm(dir, { recursive: true, force: true }), io("build", dir)),
            TE.chain(() => TE.left<BuildError, BuildState>(error)),
          ),
        ),
      ),
    ),
    TE.chain((state) => {
      const manifest = need(state.manifest, "the manifest");
      return pipe(
        publishBuildDir(options.out, state.dir, manifest.digest.replace(":", "-")),
        TE.map((layoutDir): BuildResult => {
          const config = need(state.config, "the config");
          const layerDescriptors = program.steps.flatMap((s) =>
            s._tag === "TarLayer" ? [{ role: `layer ${s.layer}`, mediaType: s.mediaType, ...need(state.layers.get(s.layer), s.layer) }] : [],
          );
          const manifestDescriptor = { role: "manifest", mediaType: MediaType.imageManifest, ...manifest };
          return {
            out: path.resolve(options.out),
            layoutDir,
            manifest: manifestDescriptor,
            descriptors: [...layerDescriptors, { role: "config", mediaType: MediaType.imageConfig, ...config }, manifestDescriptor],
          };
        }),
      );
    }),
  );
};
