import type { BaseImage, BaseUse, Compression, ImageConfigBody, IndexEntry, Owner, Platform, RootfsEntry, Step } from "@ocistage/program";
import {
  compressionText,
  layerMediaType,
  ARCHIVE_FILE,
  baseLayerBlob,
  INDEX_FILE,
  LAYOUT_FILE,
  configBlob,
  imageIndexBlob,
  layerBlob,
  manifestBlob,
  platformText,
  refNameText,
  rootfsScratch,
  sourceArtifact,
} from "@ocistage/program";

export const LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar";
export const OCI_LAYOUT_CONTENT = '{"imageLayoutVersion":"1.0.0"}';

const tarStep = (layer: string): string => `tar-layer-${layer}`;

export const writeLayoutStep = (): Step => ({
  _tag: "WriteLayoutFile",
  name: "write-oci-layout",
  needs: [],
  tools: ["sh", "coreutils"],
  inputs: [],
  outputs: [LAYOUT_FILE],
  description: "Write the oci-layout marker that names the layout version (1.0.0).",
  content: OCI_LAYOUT_CONTENT,
});

const entrySummary = (entries: readonly RootfsEntry[]): string => {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e._tag, (counts.get(e._tag) ?? 0) + 1);
  const words: Record<RootfsEntry["_tag"], readonly [string, string]> = {
    Copy: ["copy", "copies"],
    Symlink: ["symlink", "symlinks"],
    Content: ["inline file", "inline files"],
    Directory: ["directory", "directories"],
    Whiteout: ["whiteout", "whiteouts"],
  };
  return [...counts].map(([tag, n]) => `${n} ${words[tag as RootfsEntry["_tag"]][n === 1 ? 0 : 1]}`).join(", ");
};

// What the tar step says of itself; an uncompressed layer's words are the ones it always had.
const tarDescription = (layer: string, epoch: number, compression: Compression): string =>
  compression === "none"
    ? `Tar layer ${layer} deterministically (sorted names, mtime ${epoch}, numeric owners) into a blob named by its sha256.`
    : `Tar layer ${layer} deterministically (sorted names, mtime ${epoch}, numeric owners), its sha256 the diff_id, and compress it (${compressionText(compression)}) into a blob named by its sha256.`;

// The two steps each layer contributes: assemble its tree, then tar it into a blob.
export const layerSteps = (layer: string, owner: Owner, entries: readonly RootfsEntry[], epoch: number, compression: Compression = "none"): readonly Step[] => [
  {
    _tag: "AssembleRootfs",
    name: `assemble-rootfs-${layer}`,
    needs: [],
    tools: ["sh", "coreutils"],
    inputs: [...new Set(entries.flatMap((e) => (e._tag === "Copy" ? [sourceArtifact(e.source)] : [])))],
    outputs: [rootfsScratch(layer)],
    description: `Assemble the root filesystem of layer ${layer} (${entrySummary(entries) || "empty"}) with explicit modes and owners.`,
    layer,
    owner,
    entries,
  },
  {
    _tag: "TarLayer",
    name: tarStep(layer),
    needs: [`assemble-rootfs-${layer}`],
    tools: compression === "none" ? ["sh", "tar", "coreutils"] : ["sh", "tar", "coreutils", compression],
    inputs: [rootfsScratch(layer)],
    outputs: [layerBlob(layer)],
    description: tarDescription(layer, epoch, compression),
    layer,
    mediaType: layerMediaType(compression),
    mtime: epoch,
    compression,
  },
];

/** One image as the tail steps need it: its id, config, layers and manifest annotations. */
export interface LoweredImage {
  readonly id: string;
  readonly suffix: string; // "" in a program of one image, "-<id>" otherwise: step and artifact names
  readonly config: ImageConfigBody;
  readonly fieldAt: Readonly<Record<string, string>>;
  readonly layers: readonly string[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly artifactType?: string;
  readonly platform: Platform;
  readonly base?: BaseUse;
  readonly compression: ReadonlyMap<string, Compression>; // of every layer of the program, by name
}

const shortDigest = (digest: string): string => digest.slice(0, "sha256:".length + 12);

/** The step that brings a base image's layer blobs into the layout, by digest (never re-tarred). */
export const importBaseStep = (name: string, base: BaseImage): Step => ({
  _tag: "ImportBase",
  name,
  needs: [],
  tools: ["sh", "coreutils", ...(base.source._tag === "OciArchive" ? (["tar"] as const) : [])],
  inputs: base.source._tag === "Registry" ? [] : [sourceArtifact(base.source.path)],
  outputs: base.layers.map((l) => baseLayerBlob(l.digest)),
  description: `Reuse the ${base.layers.length} layer blob${base.layers.length === 1 ? "" : "s"} of base ${base.written} (manifest ${shortDigest(base.digest)}…, ${platformText(base.platform)}) by digest, each checked as it is copied.`,
  base,
});

/** A multi-platform image: several images under one reference, written as an image index blob. */
export interface LoweredGroup {
  readonly id: string;
  readonly images: readonly LoweredImage[];
}


/** The config and manifest steps of one image. */
export const imageSteps = (image: LoweredImage): readonly Step[] => {
  const baseBlobs = (image.base?.layers ?? []).map((l) => baseLayerBlob(l.digest));
  const layerBlobs = [...baseBlobs, ...image.layers.map(layerBlob)];
  const tarSteps = [...(image.base === undefined ? [] : [image.base.step]), ...image.layers.map(tarStep)];
  const onBase = image.base === undefined ? "" : ` on base ${shortDigest(image.base.digest)}…`;
  const config = configBlob(image.suffix);
  const of = image.suffix === "" ? "" : ` of image ${image.id}`;
  return [
    {
      _tag: "WriteConfig",
      name: `write-config${image.suffix}`,
      needs: tarSteps,
      tools: ["sh", "coreutils"],
      inputs: layerBlobs,
      outputs: [config],
      description: `Render the image config${of === "" ? "" : `${of} (${platformText(image.platform)})`}${onBase} with each layer's diff_id, as canonical JSON, into a blob.`,
      image: image.id,
      config: image.config,
      fieldAt: image.fieldAt,
      layers: image.layers,
      ...(image.base === undefined ? {} : { base: image.base }),
    },
    {
      _tag: "WriteManifest",
      name: `write-manifest${image.suffix}`,
      needs: [`write-config${image.suffix}`, ...tarSteps],
      tools: ["sh", "coreutils"],
      inputs: [config, ...layerBlobs],
      outputs: [manifestBlob(image.suffix)],
      description: `Render the manifest${of}${onBase} with the config's and layers' digests and sizes, as canonical JSON, into a blob.`,
      image: image.id,
      ...(image.base === undefined ? {} : { base: image.base }),
      layers: image.layers.map((layer) => ({ layer, mediaType: layerMediaType(image.compression.get(layer) ?? "none") })),
      annotations: image.annotations,
      ...(image.artifactType === undefined ? {} : { artifactType: image.artifactType }),
    },
  ];
};

/** The image index blob of a multi-platform image: one manifest per platform. */
export const imageIndexStep = (group: LoweredGroup): Step => ({
  _tag: "WriteImageIndex",
  name: `write-image-index-${group.id}`,
  needs: group.images.map((i) => `write-manifest${i.suffix}`),
  tools: ["sh", "coreutils"],
  inputs: group.images.map((i) => manifestBlob(i.suffix)),
  outputs: [imageIndexBlob(group.id)],
  description: `Render the image index of ${group.id}, one manifest per platform (${group.images.map((i) => platformText(i.platform)).join(", ")}), as canonical JSON, into a blob.`,
  group: group.id,
  manifests: group.images.map((i) => ({ image: i.id, platform: i.platform })),
});

interface TailInput {
  readonly layers: readonly string[];
  readonly baseBlobs: readonly string[]; // artifacts of every imported base layer
  readonly images: readonly LoweredImage[];
  readonly groups: readonly LoweredGroup[]; // multi-platform images only
  readonly entries: readonly IndexEntry[];
}

const entryText = (entry: IndexEntry): string => refNameText(entry.reference);

const indexDescription = (entries: readonly IndexEntry[]): string => {
  const [only, ...others] = entries;
  if (only !== undefined && others.length === 0 && only.target._tag === "Manifest")
    return `Write index.json last, naming the manifest as tag ${entryText(only)} for ${only.target.platform.os}/${only.target.platform.architecture}.`;
  return `Write index.json last, naming ${entries.map(entryText).join(", ")}.`;
};

// The digest chain after the layers: configs → manifests → image indexes → index.json, then
// check, clean and archive.
export const tailSteps = ({ layers, baseBlobs, images, groups, entries }: TailInput): readonly Step[] => {
  const layerBlobs = [...baseBlobs, ...layers.map(layerBlob)];
  const documents = [...images.flatMap((i) => [manifestBlob(i.suffix), configBlob(i.suffix)]), ...groups.map((g) => imageIndexBlob(g.id))];
  const suffix = new Map(images.map((i) => [i.id, i.suffix] as const));
  const targets = entries.map(({ target }) => (target._tag === "Manifest" ? manifestBlob(suffix.get(target.image) ?? "") : imageIndexBlob(target.group)));
  const targetSteps = entries.map(({ target }) => (target._tag === "Manifest" ? `write-manifest${suffix.get(target.image) ?? ""}` : `write-image-index-${target.group}`));
  return [
    ...images.flatMap(imageSteps),
    ...groups.map(imageIndexStep),
    {
      _tag: "WriteIndex",
      name: "write-index",
      needs: ["write-oci-layout", ...targetSteps],
      tools: ["sh", "coreutils"],
      inputs: [LAYOUT_FILE, ...targets],
      outputs: [INDEX_FILE],
      description: indexDescription(entries),
      entries,
    },
    {
      _tag: "VerifyBlobs",
      name: "verify-blobs",
      needs: ["write-index"],
      tools: ["sh", "coreutils"],
      inputs: [INDEX_FILE, ...documents, ...layerBlobs],
      outputs: [],
      description: "Re-hash every blob and check it against its file name.",
    },
    {
      _tag: "CleanScratch",
      name: "clean-scratch",
      needs: ["verify-blobs"],
      tools: ["sh", "coreutils"],
      inputs: layers.map(rootfsScratch),
      outputs: [],
      description: "Remove the scratch folder the layer trees were assembled in.",
    },
    {
      _tag: "ArchiveLayout",
      name: "archive-layout",
      needs: ["clean-scratch"],
      tools: ["sh", "tar"],
      inputs: [LAYOUT_FILE, INDEX_FILE, ...documents, ...layerBlobs],
      outputs: [ARCHIVE_FILE],
      description: "Archive the layout (oci-layout, index.json, blobs) into image.oci.tar, deterministically.",
      archive: "image.oci.tar",
    },
  ];
};
