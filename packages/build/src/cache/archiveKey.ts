import { createHash } from "node:crypto";

// Bump when the archive writer's output for the same layout changes.
export const ARCHIVE_KEY_VERSION = "ocistage-archive-key/2";

/** What image.oci.tar is a function of: its name, the epoch, oci-layout, index.json and the blobs it reaches. */
export interface ArchiveContents {
  readonly archive: string;
  readonly epoch: number;
  readonly ociLayout: Uint8Array;
  readonly index: Uint8Array;
  readonly blobs: ReadonlyMap<string, number>; // hex → size: a blob's name is its content
}

// image.oci.tar is a function of the layout alone; nothing of the blobs' data is read.
export const archiveKey = (contents: ArchiveContents): string => {
  const hash = createHash("sha256");
  const field = (value: string | Uint8Array): void => {
    hash.update(value);
    hash.update("\u0000");
  };
  field(ARCHIVE_KEY_VERSION);
  field(contents.archive);
  field(String(contents.epoch));
  for (const [name, size] of [...contents.blobs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) field(`${name}:${size}`);
  field(`index.json:${contents.index.byteLength}`);
  field(contents.index);
  field(`oci-layout:${contents.ociLayout.byteLength}`);
  field(contents.ociLayout);
  return hash.digest("hex");
};
