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

/**
 * Reads the base image `from` names (containers-transports(5) syntax, see parseBaseReference), for
 * `platform`, relative paths from `specDir`: verified blob by blob, as program data (its file list
 * kept in `cacheDir` by manifest digest, so the next read skips the layers). An
 * `oci-archive` is unpacked into a temporary folder for the read and removed after.
 * docker-archive and registry bases come with the docker-archive and registry readers.
 */
export const readBase =
  (from: string, specDir: string, platform: Platform, cacheDir?: string): TE.TaskEither<BaseError, BaseImage> =>
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
        return E.left({ _tag: "Unsupported", from, reason: "docker-archive bases are not read yet; convert it first (skopeo copy docker-archive:… oci:…) and name the oci: layout" });
      case "Registry":
        return E.left({ _tag: "Unsupported", from, reason: "registry bases (docker://) are not read yet; copy it first (skopeo copy docker://… oci:…) and name the oci: layout" });
    }
  };
