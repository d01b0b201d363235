import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import * as tar from "tar-stream";
import { normaliseMember } from "./fileTree.ts";

// What an OCI layout archive may hold that a reader needs: its two JSON files and its blobs.
const WANTED = /^(oci-layout|index\.json|blobs\/sha256\/[0-9a-f]{64})$/;

/**
 * Extracts the layout files of an `oci-archive` (a tar of an OCI image layout) into `dir`, which
 * must exist and be empty: regular files named oci-layout, index.json and blobs/sha256/<hex>; every
 * other member is skipped, so no name in the archive can write outside `dir`. `keep` limits which
 * blobs are written (by hex). Throws on I/O and tar format errors.
 */
export const extractLayoutArchive = async (archive: string, dir: string, keep?: (hex: string) => boolean): Promise<void> => {
  await fs.mkdir(path.join(dir, "blobs", "sha256"), { recursive: true });
  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => {
    const name = normaliseMember(header.name);
    const hex = name.startsWith("blobs/sha256/") ? name.slice("blobs/sha256/".length) : undefined;
    if (header.type !== "file" || !WANTED.test(name) || (hex !== undefined && keep !== undefined && !keep(hex))) {
      stream.on("end", next);
      stream.resume();
      return;
    }
    pipeline(stream, createWriteStream(path.join(dir, ...name.split("/")))).then(() => next(), next);
  });
  await pipeline(createReadStream(archive), extract);
};
