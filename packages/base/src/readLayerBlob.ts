import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Transform, Writable } from "node:stream";
import type { Decompressor } from "@ocistage/layout";
import * as tar from "tar-stream";
import type { BaseFile } from "@ocistage/program";
import type { LayerEntry } from "./fileTree.ts";
import { normaliseMember } from "./fileTree.ts";

/** What reading one layer blob learned: the digests of its stored and its uncompressed bytes, and its entries. */
export interface ReadLayer {
  readonly digest: string; // sha256 of the blob as stored
  readonly size: number;
  readonly diffId: string; // sha256 of the uncompressed tar
  readonly entries: readonly LayerEntry[];
}

const kindOf = (type: string | null | undefined): BaseFile["kind"] => {
  switch (type) {
    case "directory":
      return "folder";
    case "symlink":
      return "link";
    case "file":
    case "contiguous-file":
    case "link": // a hard link is a file at its path
      return "file";
    default:
      return "other";
  }
};

const hashing = (hash: ReturnType<typeof createHash>, counter: { bytes: number }): Transform =>
  new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      counter.bytes += chunk.length;
      done(null, chunk);
    },
  });

/**
 * Streams one layer blob once: hashes the stored bytes (its digest), decompresses, hashes the tar
 * (its diff_id) and lists its members. `decompress` is its media type's (the layout package's
 * table, LAYER_DECOMPRESSORS). Throws only on I/O and format errors, which the caller turns into
 * a BaseError naming the blob.
 */
export const readLayerBlob = async (file: string, decompress: Decompressor): Promise<ReadLayer> => {
  const stored = createHash("sha256");
  const storedCount = { bytes: 0 };
  const tarHash = createHash("sha256");
  const entries: LayerEntry[] = [];
  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => {
    entries.push({
      path: normaliseMember(header.name),
      kind: kindOf(header.type),
      mode: (header.mode ?? 0) & 0o7777,
      uid: header.uid ?? 0,
      gid: header.gid ?? 0,
      ...(header.type === "symlink" && header.linkname != null ? { target: header.linkname } : {}),
    });
    stream.on("end", next);
    stream.resume();
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      tarHash.update(chunk);
      if (extract.write(chunk)) done();
      else extract.once("drain", () => done());
    },
    final(done) {
      extract.end(undefined);
      extract.once("finish", () => done());
      extract.once("error", (e) => done(e));
    },
  });
  extract.on("error", (e) => sink.destroy(e));
  await pipeline(createReadStream(file), hashing(stored, storedCount), decompress(), sink);
  return { digest: `sha256:${stored.digest("hex")}`, size: storedCount.bytes, diffId: `sha256:${tarHash.digest("hex")}`, entries };
};
