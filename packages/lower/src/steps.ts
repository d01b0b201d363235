import type { JsonObject, Owner, Platform, RootfsEntry, Step } from "@ocistage/program";
import {
  ARCHIVE_FILE,
  CONFIG_BLOB,
  INDEX_FILE,
  LAYOUT_FILE,
  MANIFEST_BLOB,
  layerBlob,
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
  };
  return [...counts].map(([tag, n]) => `${n} ${words[tag as RootfsEntry["_tag"]][n === 1 ? 0 : 1]}`).join(", ");
};

// The two steps each layer contributes: assemble its tree, then tar it into a blob.
export const layerSteps = (layer: string, owner: Owner, entries: readonly RootfsEntry[], epoch: number): readonly Step[] => [
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
    tools: ["sh", "tar", "coreutils"],
    inputs: [rootfsScratch(layer)],
    outputs: [layerBlob(layer)],
    description: `Tar layer ${layer} deterministically (sorted names, mtime ${epoch}, numeric owners) into a blob named by its sha256.`,
    layer,
    mediaType: LAYER_MEDIA_TYPE,
    mtime: epoch,
  },
];

interface TailInput {
  readonly layers: readonly string[];
  readonly config: JsonObject;
  readonly annotations: Readonly<Record<string, string>>;
  readonly tag: string;
  readonly platform: Platform;
}

// The digest chain after the layers: config → manifest → index, then check, clean and archive.
export const tailSteps = ({ layers, config, annotations, tag, platform }: TailInput): readonly Step[] => {
  const layerBlobs = layers.map(layerBlob);
  const tarSteps = layers.map(tarStep);
  return [
    {
      _tag: "WriteConfig",
      name: "write-config",
      needs: tarSteps,
      tools: ["sh", "coreutils"],
      inputs: layerBlobs,
      outputs: [CONFIG_BLOB],
      description: "Render the image config with each layer's diff_id, as canonical JSON, into a blob.",
      config,
      layers,
    },
    {
      _tag: "WriteManifest",
      name: "write-manifest",
      needs: ["write-config", ...tarSteps],
      tools: ["sh", "coreutils"],
      inputs: [CONFIG_BLOB, ...layerBlobs],
      outputs: [MANIFEST_BLOB],
      description: "Render the manifest with the config's and layers' digests and sizes, as canonical JSON, into a blob.",
      layers: layers.map((layer) => ({ layer, mediaType: LAYER_MEDIA_TYPE })),
      annotations,
    },
    {
      _tag: "WriteIndex",
      name: "write-index",
      needs: ["write-oci-layout", "write-manifest"],
      tools: ["sh", "coreutils"],
      inputs: [LAYOUT_FILE, MANIFEST_BLOB],
      outputs: [INDEX_FILE],
      description: `Write index.json last, naming the manifest as tag ${tag} for ${platform.os}/${platform.architecture}.`,
      manifests: [{ tag, platform, annotations: { "org.opencontainers.image.ref.name": tag } }],
    },
    {
      _tag: "VerifyBlobs",
      name: "verify-blobs",
      needs: ["write-index"],
      tools: ["sh", "coreutils"],
      inputs: [INDEX_FILE, MANIFEST_BLOB, CONFIG_BLOB, ...layerBlobs],
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
      inputs: [LAYOUT_FILE, INDEX_FILE, MANIFEST_BLOB, CONFIG_BLOB, ...layerBlobs],
      outputs: [ARCHIVE_FILE],
      description: "Archive the layout (oci-layout, index.json, blobs) into image.oci.tar, deterministically.",
      archive: "image.oci.tar",
    },
  ];
};
