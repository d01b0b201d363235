import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { BaseImage, Platform } from "@ocistage/program";
import type { BaseError } from "./BaseError.ts";
import { extractLayoutArchive } from "./extractLayoutArchive.ts";
import { parseBaseReference } from "./parseBaseReference.ts";
import { readOciBase } from "./readOciBase.ts";
import type { BaseMaterialiser } from "./BaseMaterialiser.ts";

/**
 * Reads the base image `from` names (containers-transports(5) syntax, see parseBaseReference), for
 * `platform`, relative paths from `specDir`: verified blob by blob, as program data (its file list
 * kept in `cacheDir` by manifest digest, so the next read skips the layers). An
 * `oci-archive` is unpacked into a temporary folder for the read and removed after.
 * A docker-archive or registry base is turned into a temporary layout by `materialise` (the
 * edge's converters), then read the same way.
 */
export const readBase =
  (from: string, specDir: string, platform: Platform, cacheDir?: string, materialise?: BaseMaterialiser): TE.TaskEither<BaseError, BaseImage> =>
  async () => {
    const parsed = parseBaseReference(from);
    if (E.isLeft(parsed)) return E.left({ _tag: "BadReference", from, reason: parsed.left });
    const { source, pinned } = parsed.right;
    switch (source._tag) {
      case "Oci":
        return readOciBase({ from, dir: path.resolve(specDir, source.path), source, ref: source.ref, pinned, platform, cacheDir });
      case "OciArchive": {
        const archive = path.resolve(specDir, source.path);
        const dir = await fs.mkdtemp(path.join(tmpdir(), "ocistage-base-"));
        try {
          await extractLayoutArchive(archive, dir);
        } catch (e) {
          await fs.rm(dir, { recursive: true, force: true });
          return E.left({ _tag: "Unreadable", from, file: archive, reason: (e as Error).message });
        }
        try {
          return await readOciBase({ from, dir, source, ref: source.ref, pinned, platform, cacheDir });
        } finally {
          await fs.rm(dir, { recursive: true, force: true });
        }
      }
      case "DockerArchive":
      case "Registry": {
        if (materialise === undefined) return E.left({ _tag: "Unsupported", from, reason: "this reader has no converter for it; name an oci: layout (skopeo copy … oci:DIR)" });
        const dir = await fs.mkdtemp(path.join(tmpdir(), "ocistage-base-"));
        try {
          const made = await materialise(source, specDir, dir, platform);
          if (E.isLeft(made)) return E.left({ _tag: "Unreadable", from, file: source._tag === "Registry" ? source.reference : source.path, reason: made.left });
          return await readOciBase({ from, dir, source, ref: made.right.ref, pinned, platform, cacheDir });
        } finally {
          await fs.rm(dir, { recursive: true, force: true });
        }
      }
    }
  };
