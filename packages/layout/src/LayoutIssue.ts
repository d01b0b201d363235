import type { Digest } from "@ocistage/oci";
import type { LayoutLocation } from "./LayoutLocation.ts";

/**
 * Something wrong with an image layout, located and described as data. A verifier reports all of
 * them, not the first; `formatLayoutIssue` turns one into a line.
 */
export type LayoutIssue =
  | MissingFile
  | NotARegularFile
  | InvalidJson
  | InvalidDocument
  | MissingBlob
  | SizeMismatch
  | DigestMismatch
  | MediaTypeMismatch
  | UnknownMediaType
  | DocumentTooLarge
  | DescriptorCycle
  | DiffIdCountMismatch
  | DiffIdMismatch
  | StrayBlobEntry;

/** `oci-layout`, `index.json` or the `blobs` directory is not there. */
export interface MissingFile {
  readonly _tag: "MissingFile";
  readonly at: LayoutLocation;
  readonly kind: "file" | "directory";
}

/** It is there, but is a directory where a file belongs (or the other way round). */
export interface NotARegularFile {
  readonly _tag: "NotARegularFile";
  readonly at: LayoutLocation;
  readonly expected: "file" | "directory";
}

export interface InvalidJson {
  readonly _tag: "InvalidJson";
  readonly at: LayoutLocation;
  /** The parser's own message. */
  readonly detail: string;
}

/** Valid JSON that is not the document it should be; `at.field` is the offending field. */
export interface InvalidDocument {
  readonly _tag: "InvalidDocument";
  readonly at: LayoutLocation;
  readonly expected: string;
  readonly found: string;
}

export interface MissingBlob {
  readonly _tag: "MissingBlob";
  readonly at: LayoutLocation;
  readonly digest: Digest;
}

export interface SizeMismatch {
  readonly _tag: "SizeMismatch";
  readonly at: LayoutLocation;
  readonly actual: number;
  readonly declared: number;
}

/** The blob's bytes do not hash to the digest it is stored and referenced under. */
export interface DigestMismatch {
  readonly _tag: "DigestMismatch";
  readonly at: LayoutLocation;
  /** What the descriptor (or, for a blob nothing refers to, its file name) says. */
  readonly expected: Digest;
  /** What the bytes hash to. */
  readonly actual: Digest;
}

/** A descriptor's mediaType disagrees with the `mediaType` field of the document it points at. */
export interface MediaTypeMismatch {
  readonly _tag: "MediaTypeMismatch";
  readonly at: LayoutLocation;
  readonly declared: string;
  readonly document: string;
}

export type MediaTypeRole = "index entry" | "config" | "layer";

/**
 * A media type ocistage does not know for this role. The spec says readers ignore such content;
 * a verifier cannot vouch for what it cannot read, so it says so (its existence, size and digest are
 * still checked). The only issue `readLayout` tolerates.
 */
export interface UnknownMediaType {
  readonly _tag: "UnknownMediaType";
  readonly at: LayoutLocation;
  readonly mediaType: string;
  readonly role: MediaTypeRole;
}

/** A descriptor of a JSON document points at a blob too large to be one; it is not loaded. */
export interface DocumentTooLarge {
  readonly _tag: "DocumentTooLarge";
  readonly at: LayoutLocation;
  readonly size: number;
  readonly limit: number;
}

/** An index that (through tampering) lists itself or an index above it. */
export interface DescriptorCycle {
  readonly _tag: "DescriptorCycle";
  readonly at: LayoutLocation;
  readonly digest: Digest;
}

export interface DiffIdCountMismatch {
  readonly _tag: "DiffIdCountMismatch";
  readonly at: LayoutLocation;
  readonly diffIds: number;
  readonly layers: number;
}

/** An uncompressed layer's digest is its diff_id, so the two must agree. */
export interface DiffIdMismatch {
  readonly _tag: "DiffIdMismatch";
  readonly at: LayoutLocation;
  readonly diffId: Digest;
  readonly layer: number;
  readonly layerDigest: Digest;
}

export type StrayReason =
  /** `blobs/sha256/notes.txt`: content addressing is broken for it. */
  | "name-not-a-digest"
  /** A directory, symlink or device where a blob file belongs. */
  | "not-a-regular-file"
  /** `blobs/md5/`: an algorithm ocistage cannot recompute. */
  | "unsupported-algorithm"
  /** A file directly in `blobs/`, which holds one directory per algorithm. */
  | "outside-algorithm-directory";

export interface StrayBlobEntry {
  readonly _tag: "StrayBlobEntry";
  readonly at: LayoutLocation;
  readonly reason: StrayReason;
}

/**
 * Whether `readLayout` must refuse a layout with this issue. Everything but an unknown media type
 * makes the in-memory description wrong or incomplete; unknown content is kept as an opaque blob.
 */
export const isFatalForRead = (issue: LayoutIssue): boolean => issue._tag !== "UnknownMediaType";
