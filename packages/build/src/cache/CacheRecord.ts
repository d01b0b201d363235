import * as O from "fp-ts/lib/Option.js";

// What the build cache remembers, one small JSON file per key.
//
// A layer record: the layer whose key (layerKey.ts) it is filed under is stored as the blob of
// this digest and size, and its tar has the sha256 `diffId` (the blob's digest when uncompressed;
// an uncompressed and a compressed build of one tree are two keys, two blobs, one diff_id); the
// blob is taken from the output folder being built, or from `layout`, the folder it was last
// written to.
export interface LayerRecord {
  readonly _tag: "Layer";
  readonly digest: string; // "sha256:<64 hex>"
  readonly size: number;
  readonly diffId: string; // "sha256:<64 hex>"
  readonly layout: string; // absolute
}

// An archive record: image.oci.tar for the layout whose key (archiveKey.ts) it is filed under
// is the file with this identity (in whichever output folder holds it). Its bytes are never hashed, so the
// file is recognised by what lstat says: same inode, size and mtime means nobody rewrote it.
export interface ArchiveRecord {
  readonly _tag: "Archive";
  readonly size: number;
  readonly dev: string; // bigints as decimal strings: JSON has no 64-bit integers
  readonly ino: string;
  readonly mtimeNs: string;
}

export type CacheRecord = LayerRecord | ArchiveRecord;

export const layerRecord = (digest: string, size: number, diffId: string, layout: string): LayerRecord => ({ _tag: "Layer", digest, size, diffId, layout });

export const archiveRecord = (stat: { readonly size: bigint; readonly dev: bigint; readonly ino: bigint; readonly mtimeNs: bigint }): ArchiveRecord => ({
  _tag: "Archive",
  size: Number(stat.size),
  dev: String(stat.dev),
  ino: String(stat.ino),
  mtimeNs: String(stat.mtimeNs),
});

// Whether a file's lstat is the one an archive record describes.
export const isRecordedArchive = (record: ArchiveRecord, stat: { readonly size: bigint; readonly dev: bigint; readonly ino: bigint; readonly mtimeNs: bigint }): boolean =>
  BigInt(record.size) === stat.size && record.dev === String(stat.dev) && record.ino === String(stat.ino) && record.mtimeNs === String(stat.mtimeNs);

const isSize = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isDigest = (v: unknown): v is string => typeof v === "string" && /^sha256:[0-9a-f]{64}$/.test(v);
const isDecimal = (v: unknown): v is string => typeof v === "string" && /^[0-9]{1,40}$/.test(v);

// A record read back from disk: anything unexpected (a half-written file, an older format,
// hand edits) is no record at all, so the layer is simply built again.
export const decodeCacheRecord = (text: string): O.Option<CacheRecord> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return O.none;
  }
  if (typeof value !== "object" || value === null) return O.none;
  const r = value as Record<string, unknown>;
  if (r["_tag"] === "Layer" && isDigest(r["digest"]) && isSize(r["size"]) && isDigest(r["diffId"]) && typeof r["layout"] === "string")
    return O.some(layerRecord(r["digest"], r["size"], r["diffId"], r["layout"]));
  if (r["_tag"] === "Archive" && isSize(r["size"]) && isDecimal(r["dev"]) && isDecimal(r["ino"]) && isDecimal(r["mtimeNs"]))
    return O.some({ _tag: "Archive", size: r["size"], dev: r["dev"], ino: r["ino"], mtimeNs: r["mtimeNs"] });
  return O.none;
};
