import type { ImageConfig } from "@ocistage/oci";
import type { Platform } from "./Step.ts";

/**
 * How a spec names its base image, as containers tools do (containers-transports(5)):
 * `oci:PATH[:REF]`, `oci-archive:PATH[:REF]`, `docker-archive:PATH`, `docker://REGISTRY/REPO[:TAG][@DIGEST]`.
 * `path` is as the spec wrote it (relative to the spec's folder), never machine-specific.
 */
export type BaseSource =
  | { readonly _tag: "Oci"; readonly path: string; readonly ref?: string }
  | { readonly _tag: "OciArchive"; readonly path: string; readonly ref?: string }
  | { readonly _tag: "DockerArchive"; readonly path: string }
  | { readonly _tag: "Registry"; readonly reference: string };

/** A layer of the base, as its manifest gives it (blob digest and size, media type) and its config's diff_id. */
export interface BaseLayer {
  readonly digest: string; // sha256:… of the stored blob (compressed or not)
  readonly size: number; // bytes of the stored blob
  readonly mediaType: string;
  readonly diffId: string; // sha256:… of the uncompressed tar (config rootfs.diff_ids)
}

/**
 * What the base's layers leave at one path, once applied in order with their whiteouts
 * (image-spec layer.md, "Applying Changesets"): enough to place new layers on it.
 */
export interface BaseFile {
  readonly path: string; // normalised: no leading "/", "" never listed
  readonly kind: "folder" | "file" | "link" | "other";
  readonly mode: number; // permission bits (with setuid/setgid/sticky)
  readonly uid: number;
  readonly gid: number;
  readonly target?: string; // a link's target, as stored
}

/**
 * A base image, read once at the edge (verified blob by blob) and kept in the program as data:
 * the program records it by digest, so views show it without reading it again, and the build
 * reuses its layer blobs as they are (never re-tarred).
 */
export interface BaseImage {
  readonly written: string; // the `from` text, as the spec wrote it
  readonly source: BaseSource;
  readonly digest: string; // the manifest's digest
  readonly platform: Platform;
  readonly config: ImageConfig; // the base's whole config, diff_ids included
  readonly layers: readonly BaseLayer[];
  readonly files: readonly BaseFile[];
}

/** How a step of the program names one base: the import step that brings its blobs, and its layers. */
export interface BaseUse {
  readonly step: string; // the ImportBase step's name
  readonly digest: string; // the base manifest's digest
  readonly layers: readonly BaseLayer[];
}

/** How the bases read at the edge are looked up when lowering: the `from` text and the platform wanted. */
export const baseKey = (from: string, platform: Platform): string => `${from}\n${platform.os}/${platform.architecture}/${platform.variant ?? ""}`;
