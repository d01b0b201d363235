import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BaseImage } from "@ocistage/program";
import { extractLayoutArchive } from "./extractLayoutArchive.ts";
import type { BaseMaterialiser } from "./BaseMaterialiser.ts";

/**
 * Where the build finds each layer blob of a base it imports, by digest: the blob files of an
 * `oci:` layout, or, for an `oci-archive:`, copies extracted into `scratch` (a folder the caller
 * removes); a docker-archive or registry base is made a layout there by `materialise`. The
 * caller checks every blob against its digest as it copies it.
 */
export const baseBlobFiles = async (base: BaseImage, sourceRoot: string, scratch: string, materialise?: BaseMaterialiser): Promise<ReadonlyMap<string, string>> => {
  const hexes = new Set(base.layers.map((l) => l.digest.slice("sha256:".length)));
  const at = (dir: string): ReadonlyMap<string, string> => new Map(base.layers.map((l) => [l.digest, path.join(dir, "blobs", "sha256", l.digest.slice("sha256:".length))] as const));
  switch (base.source._tag) {
    case "Oci":
      return at(path.resolve(sourceRoot, base.source.path));
    case "OciArchive":
      await fs.mkdir(scratch, { recursive: true });
      await extractLayoutArchive(path.resolve(sourceRoot, base.source.path), scratch, (hex) => hexes.has(hex));
      return at(scratch);
    case "DockerArchive":
    case "Registry": {
      if (materialise === undefined) throw new Error(`no converter for ${base.written}: the build was given none`);
      await fs.mkdir(scratch, { recursive: true });
      const made = await materialise(base.source, sourceRoot, scratch, base.platform);
      if (made._tag === "Left") throw new Error(made.left);
      return at(scratch);
    }
  }
};
