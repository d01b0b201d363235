import type { Artifact } from "./Artifact.ts";
import type { Owner, RootfsEntry } from "./RootfsEntry.ts";
import type { ToolName } from "./Tool.ts";
import type { ImageConfig } from "@ocistage/oci";
import type { RefName } from "./RefName.ts";
import type { BaseImage, BaseUse } from "./BaseImage.ts";
import type { Compression } from "./Compression.ts";

/** The image config as the program carries it: everything but `rootfs` (its diff_ids are run-time digests). */
export type ImageConfigBody = Omit<ImageConfig, "rootfs">;

// What every step says about itself, whatever its kind: enough for the graph, the plan,
// the dry run and the docs to render it without knowing what it does.
export interface StepInfo {
  readonly name: string;
  readonly needs: readonly string[]; // names of earlier steps
  readonly tools: readonly ToolName[];
  readonly inputs: readonly Artifact[];
  readonly outputs: readonly Artifact[];
  readonly description: string; // one line, printed by the docs (self-documentation)
}

export interface Platform {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
}

// The steps, in the vocabulary of the seed. Digests are never here: a substrate computes them
// as it runs (layer → config → manifest → index).
export type Step =
  | (StepInfo & { readonly _tag: "WriteLayoutFile"; readonly content: string })
  // A base image's layer blobs, reused by digest (copied from where the base is, each checked
  // against its digest); its config and file list are already in `base`.
  | (StepInfo & { readonly _tag: "ImportBase"; readonly base: BaseImage })
  | (StepInfo & {
      readonly _tag: "AssembleRootfs";
      readonly layer: string;
      readonly owner: Owner; // owner of the layer's root and of implied parent folders (root today; entries carry their own)
      readonly entries: readonly RootfsEntry[];
    })
  // `compression` says how the blob stores the tar, `mediaType` follows it (Compression.ts): the
  // blob digest is the stored bytes', the diff_id always the uncompressed tar's.
  | (StepInfo & { readonly _tag: "TarLayer"; readonly layer: string; readonly mediaType: string; readonly mtime: number; readonly compression: Compression })
  | (StepInfo & {
      readonly _tag: "WriteConfig";
      readonly image: string; // the image's id
      // The whole config but `rootfs`, whose diff_ids (one per layer, in order) are known only at run time.
      readonly config: ImageConfigBody;
      // Where the spec gave each config field ("config.Env" → "images[0].env"), so an interpreter
      // that cannot carry a value names the field the user wrote, extraConfig included.
      readonly fieldAt: Readonly<Record<string, string>>;
      readonly layers: readonly string[];
      // The base image under `layers`: its diff_ids come first in rootfs (its history is in `config`).
      readonly base?: BaseUse;
    })
  | (StepInfo & {
      readonly _tag: "WriteManifest";
      readonly image: string;
      readonly layers: readonly { readonly layer: string; readonly mediaType: string }[];
      readonly annotations: Readonly<Record<string, string>>;
      readonly artifactType?: string;
      // The base image under `layers`: its layer descriptors come first, as the base's manifest has them.
      readonly base?: BaseUse;
    })
  // A multi-platform image: an image index blob naming one manifest per platform.
  | (StepInfo & {
      readonly _tag: "WriteImageIndex";
      readonly group: string; // the multi-platform image's id
      readonly manifests: readonly { readonly image: string; readonly platform: Platform }[];
    })
  | (StepInfo & {
      readonly _tag: "WriteIndex";
      readonly entries: readonly IndexEntry[];
    })
  | (StepInfo & { readonly _tag: "VerifyBlobs" })
  | (StepInfo & { readonly _tag: "CleanScratch" })
  | (StepInfo & { readonly _tag: "ArchiveLayout"; readonly archive: string });

/** What an index.json entry points at: one image's manifest, or a multi-platform image's index. */
export type IndexTarget =
  | { readonly _tag: "Manifest"; readonly image: string; readonly platform: Platform }
  | { readonly _tag: "ImageIndex"; readonly group: string };

/** An entry of index.json: its target and the reference (ref.name annotation) it is known by. */
export interface IndexEntry {
  readonly target: IndexTarget;
  readonly reference: RefName;
}

export type StepTag = Step["_tag"];
export type StepOf<K extends StepTag> = Extract<Step, { readonly _tag: K }>;
