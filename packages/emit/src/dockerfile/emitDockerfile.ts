import * as E from "fp-ts/lib/Either.js";
import type { Compression, Program, Step, StepHandlers, StepOf } from "@ocistage/program";
import { imageTitle, matchStep } from "@ocistage/program";
import type { ConfigInstructions } from "./configInstructions.ts";
import { configInstructions } from "./configInstructions.ts";
import type { DockerfileIssue } from "./DockerfileIssue.ts";
import { dockerfileIssue } from "./DockerfileIssue.ts";
import type { DockerContextLayer, DockerfilePlan } from "./DockerfilePlan.ts";
import type { DockerfileUnsupported } from "./DockerfileUnsupported.ts";
import type { LayerCarrier } from "./layerCarrier.ts";
import { layerCarrier } from "./layerCarrier.ts";
import { compressionNote } from "./compressionNote.ts";

// The Dockerfile substrate: `FROM --platform=… scratch`, one COPY (or ADD of a tar) per layer, in
// the image's order, each making exactly one layer; then the config. The builder writes the
// blobs, manifest and layout itself, so those steps add nothing.
//
// Context mtimes: layer k's files get SOURCE_DATE_EPOCH + k. Builders that find a layer's changes
// by comparing size and mtime (buildah and Docker on the vfs driver) would otherwise take a file
// a later layer rewrites with the same size and mtime for unchanged and leave it out (buildah
// 1.28 does, here).

interface EmitState {
  readonly assembled: ReadonlyMap<string, { readonly step: StepOf<"AssembleRootfs">; readonly carrier: LayerCarrier }>;
  readonly mtimes: ReadonlyMap<string, number>;
  readonly compression: ReadonlyMap<string, Compression>;
  readonly layers: readonly string[];
  readonly config?: ConfigInstructions;
  readonly issues: readonly DockerfileIssue[];
  readonly bases: ReadonlyMap<string, StepOf<"ImportBase">>;
}

// FROM of a registry base, pinned to the digest the program read; any other base has no name a builder pulls.
const baseFrom = (step: StepOf<"ImportBase">, imageAt: string): { readonly line?: string; readonly issues: readonly DockerfileIssue[] } => {
  const at = imageAt === "" ? "from" : `${imageAt}.from`;
  const { source, platform, digest } = step.base;
  if (source._tag !== "Registry")
    return { issues: [dockerfileIssue(at, `${step.base.written} is a local image (${source._tag === "Oci" ? "oci:" : source._tag === "OciArchive" ? "oci-archive:" : "docker-archive:"}); a Dockerfile's FROM names an image a builder pulls from a registry (push the base and name it docker://…)`)] };
  const name = source.reference.replace(/@sha256:[0-9a-f]{64}$/, "");
  return { line: `FROM --platform=${[platform.os, platform.architecture, ...(platform.variant === undefined ? [] : [platform.variant])].join("/")} ${name}@${digest}`, issues: [] };
};

type Emit = (state: EmitState) => EmitState;

const same: Emit = (state) => state;

// `image`: the id of the one image this Dockerfile builds; the other images' steps add nothing.
const handlers = (image: string, layers: ReadonlySet<string>): StepHandlers<Emit> => ({
  WriteLayoutFile: () => same,
  AssembleRootfs: (step) => (state) => {
    if (!layers.has(step.layer)) return state;
    const { carrier, issues } = layerCarrier(step, state.assembled.size);
    return { ...state, assembled: new Map([...state.assembled, [step.layer, { step, carrier }]]), issues: [...state.issues, ...issues] };
  },
  TarLayer: (step) => (state) => ({ ...state, mtimes: new Map([...state.mtimes, [step.layer, step.mtime]]), compression: new Map([...state.compression, [step.layer, step.compression]]) }),
  // A base becomes FROM when a builder can pull it (a registry image); a local one cannot be named.
  ImportBase: (step) => (state) => ({ ...state, bases: new Map([...state.bases, [step.name, step]]) }),
  WriteConfig: (step) => (state) => {
    if (step.image !== image) return state;
    const config = configInstructions(step.config, step.fieldAt);
    const base = step.base === undefined ? undefined : (state.bases.get(step.base.step) ?? bug(`base ${step.base.step} was never imported`));
    const fromBase = base === undefined ? undefined : baseFrom(base, (step.fieldAt["os"] ?? "os").replace(/\.?os$/, ""));
    return {
      ...state,
      layers: step.layers,
      config: fromBase?.line === undefined ? config : { ...config, from: fromBase.line },
      issues: [...state.issues, ...config.issues, ...(fromBase?.issues ?? [])],
    };
  },
  WriteManifest: (step) => (state) => {
    if (step.image !== image) return state;
    const names = Object.keys(step.annotations);
    return names.length === 0
      ? state
      : {
          ...state,
          issues: [
            ...state.issues,
            dockerfileIssue("annotations", `expected none, found ${names.map((n) => JSON.stringify(n)).join(", ")}: a Dockerfile cannot set manifest annotations (buildah bud --annotation can)`),
          ],
        };
  },
  // A multi-platform image's index is the builder's to make (buildah manifest): nothing here.
  WriteImageIndex: () => same,
  WriteIndex: () => same,
  VerifyBlobs: () => same,
  CleanScratch: () => same,
  ArchiveLayout: () => same,
});

const bug = (what: string): never => {
  throw new Error(`bug: ${what}; the program's steps are out of order`);
};

const contextLayers = (program: Program, state: EmitState): readonly DockerContextLayer[] =>
  state.layers.map((layer, k): DockerContextLayer => {
    const { step, carrier } = state.assembled.get(layer) ?? bug(`layer ${layer} is in the config but was never assembled`);
    const common = { layer, assemble: step, mtime: (state.mtimes.get(layer) ?? program.sourceDateEpoch) + k };
    return carrier._tag === "CopyTree"
      ? { _tag: "CopyTree", ...common, folder: layer, owner: carrier.owner }
      : { _tag: "AddTar", ...common, file: `${layer}.tar`, because: carrier.because };
  });

const layerLines = (layer: DockerContextLayer): readonly string[] => {
  switch (layer._tag) {
    case "CopyTree": {
      const chown = layer.owner.uid === 0 && layer.owner.gid === 0 ? "" : ` --chown=${layer.owner.uid}:${layer.owner.gid}`;
      return [`COPY${chown} ${layer.folder}/ /`];
    }
    case "AddTar":
      // Paths in the reason may hold line breaks, which would end the comment: they are escaped.
      return [`# ${layer.layer}: a tar, unpacked with every owner and mode, because ${layer.because.replace(/[\n\r]/g, (c) => JSON.stringify(c).slice(1, -1))}`, `ADD ${layer.file} /`];
  }
};

const render = (program: Program, reference: string, layers: readonly DockerContextLayer[], config: ConfigInstructions, compression: ReadonlyMap<string, Compression>): string =>
  [
    `# Dockerfile of ${reference}, written by \`ocistage emit dockerfile\`.`,
    "# Beside it, each layer's tree (with the image's modes) or tar; each COPY or ADD makes one",
    "# layer, so build with layers kept (buildah squashes them without --layers):",
    `#   buildah bud --layers --timestamp ${program.sourceDateEpoch} -t ${reference} .`,
    `#   docker build -t ${reference} .`,
    ...compressionNote(layers.map((l) => l.layer), compression),
    config.from,
    ...layers.flatMap(layerLines),
    ...config.instructions,
    "",
  ].join("\n");

/**
 * The Dockerfile (and its context's layers) of one image of the program: `image` is its id, and
 * may be left out when the program has one image. A layout of several images without `image`,
 * or anything a Dockerfile cannot say, is a DockerfileUnsupported naming the spec field.
 */
export const emitDockerfile = (program: Program, image?: string): E.Either<DockerfileUnsupported, DockerfilePlan> => {
  const chosen = image === undefined ? (program.images.length === 1 ? program.images[0] : undefined) : program.images.find((i) => i.id === image);
  if (chosen === undefined) {
    const ids = program.images.map((i) => `${i.id} (${imageTitle(program, i.id)})`).join(", ");
    const message = image === undefined ? `expected one image, found ${program.images.length}: a Dockerfile builds one; pick it with --image ID, one of ${ids}` : `no image with id ${JSON.stringify(image)}; the ids are ${ids}`;
    return E.left({ _tag: "DockerfileUnsupported", issues: [dockerfileIssue("images", message)] });
  }
  const initial: EmitState = { assembled: new Map(), mtimes: new Map(), compression: new Map(), layers: [], issues: [], bases: new Map() };
  const run = matchStep(handlers(chosen.id, new Set(chosen.layers)));
  const state = program.steps.reduce((acc: EmitState, step: Step) => run(step)(acc), initial);
  if (state.issues.length > 0) return E.left({ _tag: "DockerfileUnsupported", issues: state.issues });
  const config = state.config ?? bug("the program has no write-config step");
  const layers = contextLayers(program, state);
  const reference = imageTitle(program, chosen.id).replace(/ \(.*\)$/, "").replace(/:<digest>$/, "");
  return E.right({ dockerfile: render(program, reference, layers, config, state.compression), reference, layers });
};
