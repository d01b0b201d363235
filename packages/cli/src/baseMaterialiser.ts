import * as E from "fp-ts/lib/Either.js";
import * as path from "node:path";
import type { BaseMaterialiser } from "@ocistage/base";
import { convertDockerArchive, formatDockerArchiveError } from "@ocistage/docker-archive";

/**
 * The edge's converters for bases the base reader cannot read itself: a docker-archive is
 * converted into the layout folder (layers byte for byte, seed 002's toOCIImage). Registry
 * bases are named but not read (see README, "Base images").
 */
export const baseMaterialiser: BaseMaterialiser = async (source, sourceRoot, dir) => {
  switch (source._tag) {
    case "DockerArchive": {
      const converted = await convertDockerArchive(path.resolve(sourceRoot, source.path), dir)();
      return E.isLeft(converted) ? E.left(formatDockerArchiveError(converted.left).join("; ")) : E.right({});
    }
    case "Registry":
      return E.left("registry bases are not read yet; copy it into a layout first (skopeo copy docker://… oci:DIR) and name oci:DIR");
    case "Oci":
    case "OciArchive":
      return E.left(`bug: a ${source._tag} base needs no converter`);
  }
};
