import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import * as tarStream from "tar-stream";

// One tar header as a test compares it: mtime in whole seconds, mode as an octal string.
export interface TarListingEntry {
  readonly name: string;
  readonly type: string; // "file", "directory", "symlink", "link"
  readonly mode: string;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly size: number;
  readonly linkname?: string;
}

// Reads a tar's headers with an independent reader (tar-stream), skipping the file data.
export const listTar = async (file: string): Promise<readonly TarListingEntry[]> => {
  const entries: TarListingEntry[] = [];
  const extract = tarStream.extract();
  extract.on("entry", (header, stream, next) => {
    entries.push({
      name: header.name,
      type: header.type ?? "file",
      mode: (header.mode ?? 0).toString(8).padStart(4, "0"),
      uid: header.uid ?? -1,
      gid: header.gid ?? -1,
      mtime: Math.floor((header.mtime?.getTime() ?? -1000) / 1000),
      size: header.size ?? 0,
      ...(header.linkname === undefined || header.linkname === null ? {} : { linkname: header.linkname }),
    });
    stream.on("end", next);
    stream.resume();
  });
  await pipeline(createReadStream(file), extract);
  return entries;
};
