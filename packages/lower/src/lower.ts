import * as E from "fp-ts/lib/Either.js";
import type { BaseImage, BaseUse, ClosureReport, Compression, ImageDescriptor, ImageSummary, IndexEntry, Owner, Program, RootfsEntry, SmokeTest, SourceFile, Step } from "@ocistage/program";
import { TOOLS, baseKey, baseLayerBlob } from "@ocistage/program";
import type { HostClosures, Spec, SpecIssue } from "@ocistage/spec";
import { imageConfig, portKey, prefixedLabels } from "./imageConfig.ts";
import type { ImageFields } from "./imageConfig.ts";
import { imageGroups, platformOf } from "./imageGroups.ts";
import type { PlacedImage } from "./imageGroups.ts";
import { layoutOf } from "./layoutOf.ts";
import type { LowerError } from "./LowerError.ts";
import { layerBudget } from "./layerBudget.ts";
import { compressorTools, layerCompression } from "./layerCompression.ts";
import { lowerLayerEntries } from "./lowerLayerEntries.ts";
import { closureEntries } from "./closureEntries.ts";
import { splitClosureLayers } from "./splitClosureLayers.ts";
import type { LoweredLayer } from "./splitClosureLayers.ts";
import { knownFromBase, layOn, placeLayer } from "./placeOnLowerLayers.ts";
import type { Known } from "./placeOnLowerLayers.ts";
import { importBaseStep, layerSteps, tailSteps, writeLayoutStep } from "./steps.ts";
import { relocateIssues, relocateProgram } from "./relocateProgram.ts";
import type { LoweredGroup, LoweredImage } from "./steps.ts";

export interface LowerContext {
  readonly specFile: string; // how docs name the spec file (relative, never machine-specific)
  readonly specText: string;
  readonly sourceDateEpoch: number;
  // The base images the spec's `from` fields name, read (and verified) at the edge, by baseKey.
  readonly bases?: ReadonlyMap<string, BaseImage>;
  readonly closures?: HostClosures; // of the spec's `closure: true` entries, read at the edge (loadSpec)
  readonly compression?: Compression; // `build --compression`: how every layer is stored, whatever the spec says
}

const ROOT_OWNER: Owner = { uid: 0, gid: 0 };

const duplicates = (names: readonly string[]): readonly string[] => names.filter((n, i) => names.indexOf(n) !== i);

const field = (at: string, name: string): string => (at === "" ? name : `${at}.${name}`);

// Checks of one image's own fields that the codecs cannot make (they see one value at a time).
const imageIssues = (at: string, fields: ImageFields, layerCount: number, baseLayers: number): SpecIssue[] => {
  const issues: SpecIssue[] = [];
  if (layerCount === 0 && fields.from === undefined) issues.push({ at: field(at, "layers"), message: "expected at least one layer, found none" });
  issues.push(...[layerBudget(layerCount + baseLayers, field(at, "layers"), fields.maxLayers)].filter((issue) => issue !== undefined));
  for (const name of new Set(duplicates((fields.tests ?? []).map((t) => t.name))))
    issues.push({ at: field(at, "tests"), message: `smoke test name "${name}" is used more than once` });
  for (const port of new Set(duplicates((fields.exposedPorts ?? []).map(portKey))))
    issues.push({ at: field(at, "exposedPorts"), message: `port ${port} is listed more than once` });
  return issues;
};

// Lays every image's layers in order (placeOnLowerLayers.ts). A layer two images share must land
// the same way in both, or it would be two different tars under one name.
const placeLayers = (
  images: readonly PlacedImage[],
  layers: readonly { readonly name: string; readonly entries: readonly RootfsEntry[] }[],
  definedAt: ReadonlyMap<string, string>,
  baseOf: (image: PlacedImage) => BaseImage | undefined,
): { readonly entries: ReadonlyMap<string, readonly RootfsEntry[]>; readonly issues: readonly SpecIssue[] } => {
  const entriesOf = new Map(layers.map((l) => [l.name, l.entries] as const));
  const placed = new Map<string, { readonly entries: readonly RootfsEntry[]; readonly image: string }>();
  const issues: SpecIssue[] = [];
  for (const image of images) {
    const base = baseOf(image);
    let known: ReadonlyMap<string, Known> = base === undefined ? new Map() : knownFromBase(base.files);
    for (const name of image.use.layers) {
      const base = entriesOf.get(name);
      if (base === undefined) continue;
      const here = placeLayer(known, base);
      issues.push(...here.issues);
      const earlier = placed.get(name);
      if (earlier === undefined) placed.set(name, { entries: here.entries, image: image.id });
      else if (JSON.stringify(earlier.entries) !== JSON.stringify(here.entries))
        issues.push({
          at: definedAt.get(name) ?? name,
          message: `layer "${name}" lands differently on the layers below it in images ${earlier.image} and ${image.id} (a symlink or a folder's mode or owner below differs); give each image a layer of its own`,
        });
      known = layOn(known, here.entries);
    }
  }
  return { entries: new Map([...placed].map(([name, p]) => [name, p.entries] as const)), issues };
};

const evidenceOf = (image: PlacedImage, single: boolean): readonly SmokeTest[] =>
  (image.use.fields.tests ?? []).map((t) => ({
    name: single ? t.name : `${image.id}: ${t.name}`,
    ...(single ? {} : { image: image.id }),
    ...(t.entrypoint === undefined ? {} : { entrypoint: t.entrypoint }),
    command: t.command,
    expectExitCode: t.expectExitCode ?? 0,
    ...(t.expectOutput === undefined ? {} : { expectOutput: t.expectOutput }),
  }));

const descriptorOf = (image: PlacedImage, single: boolean): ImageDescriptor => ({
  name: `${single ? image.use.name : image.id}-oci-image`,
  kind: "oci-image",
  payload: {
    kind: "oci-image",
    architecture: image.platform.architecture,
    os: image.platform.os,
    entrypoint: image.use.fields.entrypoint ?? [],
    exposedPorts: (image.use.fields.exposedPorts ?? []).map(portKey),
    labels: prefixedLabels(image.use.fields) ?? {},
  },
});

/**
 * Spec → Program, pure: no file system, no clock (the epoch is given), no environment. Both spec
 * forms lower to one program of a layout: every layer once (a layer used by several images is
 * assembled and tarred once), then per image its config and manifest, an image index per
 * multi-platform image, and index.json. Every semantic issue is collected, each at its path.
 */
const lowerSpec = (spec: Spec, context: LowerContext): E.Either<LowerError, Program> => {
  const { plan, issues: planIssues } = layoutOf(spec);
  const issues: SpecIssue[] = [...planIssues];
  const single = spec._tag === "Image";

  if (single)
    for (const name of new Set(duplicates(spec.image.layers.map((l) => l.name))))
      issues.push({ at: `layers[${spec.image.layers.findIndex((l) => l.name === name)}].name`, message: `layer name "${name}" is used more than once` });
  const unsplit: LoweredLayer[] = [];
  const reports: ClosureReport[] = [];
  for (const { layer, at } of plan.layers) {
    const entries = E.chain((own: readonly RootfsEntry[]) => closureEntries(layer, at, own, context.closures ?? new Map()))(lowerLayerEntries(layer, at, { uid: layer.uid ?? 0, gid: layer.gid ?? 0 }));
    if (E.isLeft(entries)) issues.push(...entries.left);
    // The layer's owner is its entries' default; the root and the folders destinations imply stay
    // root's, or extracting the layer would hand "/" (or "/srv") to that user.
    else {
      unsplit.push({ name: layer.name, owner: ROOT_OWNER, entries: entries.right.entries });
      reports.push(...entries.right.reports);
    }
  }
  const baseLayerCount = (use: (typeof plan.images)[number]): number =>
    use.fields.from === undefined ? 0 : (context.bases?.get(baseKey(use.fields.from, platformOf(use)))?.layers.length ?? 0);
  const split = splitClosureLayers({ layers: unsplit, definitions: plan.layers, images: plan.images, reports, baseLayers: baseLayerCount });
  issues.push(...split.issues);
  const layers = split.layers;
  const { groups, issues: groupIssues } = imageGroups(split.images);
  issues.push(...groupIssues);
  const stored = layerCompression(plan, context.compression);
  issues.push(...stored.issues);
  // A layer split by closure (splitClosureLayers) is stored as the layer it came from says.
  const originOf = new Map<string, string>(plan.layers.map((l) => [`${l.at}.split`, l.layer.name] as const));
  const compressionOf: ReadonlyMap<string, Compression> = new Map([
    ...stored.compression,
    ...[...split.definedAt].flatMap(([member, at]) => {
      const compression = stored.compression.get(originOf.get(at) ?? "");
      return compression === undefined ? [] : [[member, compression] as const];
    }),
  ]);

  const epoch = context.sourceDateEpoch;
  const placed = groups.flatMap((g) => g.images);
  // Each image's base, as read at the edge; one import step per base, named in order of first use.
  const baseOf = (image: PlacedImage): BaseImage | undefined => (image.use.fields.from === undefined ? undefined : context.bases?.get(baseKey(image.use.fields.from, image.platform)));
  const baseId = (base: BaseImage): string => `${base.written} ${base.digest}`;
  const imports = new Map<string, { readonly step: string; readonly base: BaseImage }>();
  for (const image of placed) {
    const from = image.use.fields.from;
    const base = baseOf(image);
    if (from !== undefined && base === undefined) issues.push({ at: field(image.use.at, "from"), message: "the base image was not read (lowered without the bases the edge reads)" });
    if (base !== undefined && !imports.has(baseId(base))) imports.set(baseId(base), { step: "", base });
  }
  const importSteps = [...imports.entries()].map(([key, i], n) => [key, { ...i, step: imports.size === 1 ? "import-base" : `import-base-${n + 1}` }] as const);
  const importOf = new Map(importSteps);
  const baseUse = (image: PlacedImage): BaseUse | undefined => {
    const base = baseOf(image);
    const imported = base === undefined ? undefined : importOf.get(baseId(base));
    return base === undefined || imported === undefined ? undefined : { step: imported.step, digest: base.digest, layers: base.layers };
  };
  // The budget counts the layers as the spec lists them (splitClosureLayers keeps split layers within it), base layers included.
  for (const use of plan.images)
    issues.push(...imageIssues(use.at, use.fields, use.layers.length, baseLayerCount(use)));
  const oneImage = placed.length === 1;
  const lowered: LoweredImage[] = [];
  for (const image of placed) {
    const base = baseUse(image);
    const config = imageConfig(image.use.fields, image.use.layers, epoch, image.use.at, baseOf(image));
    if (E.isLeft(config)) issues.push(...config.left);
    else
      lowered.push({
        id: image.id,
        suffix: oneImage ? "" : `-${image.id}`,
        config: config.right.config,
        fieldAt: config.right.fieldAt,
        layers: image.use.layers,
        annotations: { ...image.use.fields.annotations, ...image.use.fields.extraManifest?.annotations },
        ...(image.use.fields.extraManifest?.artifactType === undefined ? {} : { artifactType: image.use.fields.extraManifest.artifactType }),
        platform: image.platform,
        ...(base === undefined ? {} : { base }),
        compression: compressionOf,
      });
  }
  // Each layer as it lands on the layers below it; a layer shared by images must land alike in each.
  const placedLayers = placeLayers(placed, layers, new Map([...plan.layers.map((l) => [l.layer.name, l.at] as const), ...split.definedAt]), baseOf);
  issues.push(...placedLayers.issues);
  if (issues.length > 0) return E.left({ _tag: "LowerInvalid", issues });

  const byId = new Map(lowered.map((i) => [i.id, i] as const));
  const loweredGroups: LoweredGroup[] = groups.filter((g) => g.images.length > 1).map((g) => ({ id: g.id, images: g.images.map((i) => byId.get(i.id) as LoweredImage) }));
  const entries: IndexEntry[] = groups.map((g) => {
    const head = g.images[0] as PlacedImage;
    const reference = { prefix: head.use.referencePrefix, tag: head.use.tag === undefined ? { _tag: "FromDigest" as const } : { _tag: "Given" as const, tag: head.use.tag } };
    return g.images.length === 1 ? { target: { _tag: "Manifest", image: head.id, platform: head.platform }, reference } : { target: { _tag: "ImageIndex", group: g.id }, reference };
  });
  const referenceOf = new Map(groups.flatMap((g, i) => g.images.map((img) => [img.id, entries[i]?.reference] as const)));
  const steps: Step[] = [
    writeLayoutStep(),
    ...importSteps.map(([, i]) => importBaseStep(i.step, i.base)),
    ...layers.flatMap((l) => layerSteps(l.name, l.owner, placedLayers.entries.get(l.name) ?? l.entries, epoch, compressionOf.get(l.name))),
    ...tailSteps({
      layers: layers.map((l) => l.name),
      baseBlobs: [...new Set(importSteps.flatMap(([, i]) => i.base.layers.map((l) => baseLayerBlob(l.digest))))],
      images: lowered,
      groups: loweredGroups,
      entries,
    }),
  ];
  const inputs = [...new Set(layers.flatMap((l) => l.entries.flatMap((e) => (e._tag === "Copy" ? [e.source] : []))))];
  const sources: SourceFile[] = [
    { path: context.specFile, role: "spec", text: context.specText },
    ...inputs.map((path): SourceFile => ({ path, role: "layer input" })),
  ];
  return E.right({
    programVersion: 2,
    name: plan.name,
    ...(plan.description === undefined ? {} : { description: plan.description }),
    images: placed.map(
      (image): ImageSummary => ({
        id: image.id,
        name: image.use.name,
        reference: referenceOf.get(image.id) ?? { prefix: "", tag: { _tag: "FromDigest" } },
        platform: image.platform,
        layers: image.use.layers,
        ...(image.use.fields.description === undefined ? {} : { description: image.use.fields.description }),
      }),
    ),
    sourceDateEpoch: epoch,
    tools: [TOOLS.sh, TOOLS.tar, TOOLS.coreutils, ...compressorTools(compressionOf)],
    steps,
    outputs: [
      { name: "oci-layout", path: "oci-layout", kind: "json" },
      { name: "index", path: "index.json", kind: "json" },
      { name: "blobs", path: "blobs", kind: "tree" },
      { name: "oci-archive", path: "image.oci.tar", kind: "tar" },
    ],
    descriptors: placed.map((image) => descriptorOf(image, single)),
    evidence: placed.flatMap((image) => evidenceOf(image, single)),
    sources,
    ...(reports.length === 0 ? {} : { closures: { programs: split.reports, splits: split.splits } }),
  });
};

/** `lowerSpec`, with the paths of a desugared spec (a standard image) mapped back to the fields the user wrote. */
export const lower = (spec: Spec, context: LowerContext): E.Either<LowerError, Program> =>
  E.bimap((error: LowerError): LowerError => ({ ...error, issues: relocateIssues(error.issues, spec.origins) }), (program: Program) => relocateProgram(program, spec.origins))(lowerSpec(spec, context));
