import { promises as fs } from "node:fs";
import * as E from "fp-ts/lib/Either.js";
import { decodeImageConfig, platform } from "@ocistage/oci";
import type { Descriptor, Platform } from "@ocistage/oci";
import type { BlobSink } from "./blobSink.ts";
import { sinkPath } from "./blobSink.ts";

/**
 * The platform a pulled image's config names (image-spec config.md: `os`, `architecture`,
 * `variant`, `os.version`, `os.features`), for the `index.json` entry of an image pulled by its
 * manifest, as a build's entry carries one (image-spec image-index.md, `platform`). The config
 * blob is already in the sink, verified. Undefined when it is not an image config that decodes:
 * an entry without a platform is still valid, so this never fails a pull.
 */
export const configPlatform = async (sink: BlobSink, config: Descriptor): Promise<Platform | undefined> => {
  try {
    const decoded = decodeImageConfig(JSON.parse(await fs.readFile(sinkPath(sink, config.digest), "utf8")));
    if (E.isLeft(decoded)) return undefined;
    const c = decoded.right;
    return platform({ architecture: c.architecture, os: c.os, variant: c.variant, osVersion: c["os.version"], osFeatures: c["os.features"] });
  } catch {
    return undefined;
  }
};
