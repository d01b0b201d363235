import * as TE from "fp-ts/lib/TaskEither.js";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildError } from "../BuildError.ts";
import { reasonOf } from "../BuildError.ts";
import { blobsDir } from "../blobStore.ts";

// Bump when the archive writer's output for the same layout changes.
export const ARCHIVE_KEY_VERSION = "ocistage-archive-key/1";

// image.oci.tar is a function of the layout alone: the archive's name, the epoch its entries
// carry, the blobs (names are their content, so name and size suffice), index.json and
// oci-layout (read: a few hundred bytes). Nothing of the blobs' data is read.
export const archiveKey = (layout: string, archive: string, epoch: number, at: string): TE.TaskEither<BuildError, string> =>
  TE.tryCatch(
    async () => {
      const hash = createHash("sha256");
      const field = (value: string | Uint8Array): void => {
        hash.update(value);
        hash.update("\u0000");
      };
      field(ARCHIVE_KEY_VERSION);
      field(archive);
      field(String(epoch));
      const names = (await fs.readdir(blobsDir(layout))).sort();
      for (const name of names) field(`${name}:${(await fs.lstat(path.join(blobsDir(layout), name))).size}`);
      for (const name of ["index.json", "oci-layout"]) {
        const bytes = await fs.readFile(path.join(layout, name));
        field(`${name}:${bytes.length}`);
        field(bytes);
      }
      return hash.digest("hex");
    },
    (e): BuildError => ({ _tag: "Io", at, path: layout, reason: reasonOf(e) }),
  );
