import * as E from "fp-ts/lib/Either.js";
import * as path from "node:path";
import type { BaseMaterialiser } from "@ocistage/base";
import { convertDockerArchive, formatDockerArchiveError } from "@ocistage/docker-archive";
import { renderCliError } from "./CliError.ts";
import { pullCommand } from "./commands/pull.ts";

/**
 * The edge's converters for bases the base reader cannot read itself: a docker-archive is
 * converted into the layout folder (layers byte for byte, seed 002's toOCIImage); a registry
 * image is pulled into it for the platform wanted (README, "Base images and deletions").
 */
export const baseMaterialiser: BaseMaterialiser = async (source, sourceRoot, dir, platform) => {
  switch (source._tag) {
    case "DockerArchive": {
      const converted = await convertDockerArchive(path.resolve(sourceRoot, source.path), dir)();
      return E.isLeft(converted) ? E.left(formatDockerArchiveError(converted.left).join("; ")) : E.right({});
    }
    case "Registry": {
      // As `ocistage pull` does it: TLS verified (system CAs, NODE_EXTRA_CA_CERTS, the certs.d
      // folders of the registry), the standard credential files, every blob checked.
      const pulled = await pullCommand({
        _tag: "Pull",
        ref: source.reference,
        out: dir,
        platform: [platform.os, platform.architecture, ...(platform.variant === undefined ? [] : [platform.variant])].join("/"),
        flags: { tlsVerify: true, retries: 4, json: false, quiet: true },
      })();
      return E.isLeft(pulled) ? E.left(renderCliError(pulled.left).lines.join("; ")) : E.right({});
    }
    case "Oci":
    case "OciArchive":
      return E.left(`bug: a ${source._tag} base needs no converter`);
  }
};
