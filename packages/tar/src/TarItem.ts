import type { DirectoryEntry, FileEntry, HardLinkEntry, SymlinkEntry } from "./TarEntry.ts";

// What the tar writer consumes: an entry plus, for a file, where its bytes come from. Kept apart
// from TarEntry so the header stays pure data that can be compared, hashed and sorted.
export type TarItem = FileItem | MetadataItem;

export interface FileItem {
  readonly entry: FileEntry;
  readonly content: FileContent;
}

export interface MetadataItem {
  readonly entry: DirectoryEntry | SymlinkEntry | HardLinkEntry;
  readonly content?: never;
}

export type FileContent = DiskContent | BytesContent;

// A file on disk, read once while the tar is written. `unchanged`, when given, is what lstat
// said while the tree was walked: the writer checks the file still matches it after reading,
// the way GNU tar reports "file changed as we read it".
export interface DiskContent {
  readonly _tag: "Disk";
  readonly path: Uint8Array | string;
  readonly unchanged?: FileIdentity;
  // Sees the file's bytes, in order, as they go into the archive: to hash a file on the same
  // read (the build checks each blob it archives into image.oci.tar this way).
  readonly onData?: (bytes: Uint8Array) => void;
}

export interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

// Bytes made by the build itself (inline text, generated JSON).
export interface BytesContent {
  readonly _tag: "Bytes";
  readonly bytes: Uint8Array;
}

export const fileItem = (entry: FileEntry, content: FileContent): FileItem => ({ entry, content });
export const metadataItem = (entry: MetadataItem["entry"]): MetadataItem => ({ entry });
export const diskContent = (path: Uint8Array | string, unchanged?: FileIdentity): DiskContent =>
  unchanged === undefined ? { _tag: "Disk", path } : { _tag: "Disk", path, unchanged };
export const bytesContent = (bytes: Uint8Array): BytesContent => ({ _tag: "Bytes", bytes });
