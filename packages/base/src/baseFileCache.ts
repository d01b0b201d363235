import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BaseFile, BaseLayer } from "@ocistage/program";

/** What reading a base's layers learned, by its manifest's digest: the same for every read of that manifest. */
export interface BaseLayers {
  readonly layers: readonly BaseLayer[];
  readonly files: readonly BaseFile[];
}

const VERSION = "1";
const fileOf = (cacheDir: string, manifestDigest: string): string => path.join(cacheDir, "bases", `${VERSION}-${manifestDigest.replace("sha256:", "")}.json`);

/**
 * The layers and file list of a base read before, or undefined. A manifest digest names its layer
 * digests, so what they unpack to never changes; a damaged blob is still caught when the build
 * copies it (import-base hashes every blob). A missing or unreadable record is a miss.
 */
export const readCachedBase = async (cacheDir: string | undefined, manifestDigest: string): Promise<BaseLayers | undefined> => {
  if (cacheDir === undefined) return undefined;
  try {
    const parsed = JSON.parse(await fs.readFile(fileOf(cacheDir, manifestDigest), "utf8")) as BaseLayers;
    return Array.isArray(parsed.layers) && Array.isArray(parsed.files) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

/** Records a base's layers and file list (temporary + rename); a cache that cannot be written is skipped. */
export const writeCachedBase = async (cacheDir: string | undefined, manifestDigest: string, read: BaseLayers): Promise<void> => {
  if (cacheDir === undefined) return;
  const file = fileOf(cacheDir, manifestDigest);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(temporary, JSON.stringify(read));
    await fs.rename(temporary, file);
  } catch {
    await fs.rm(temporary, { force: true });
  }
};
