import { promises as fs } from "node:fs";
import * as path from "node:path";

/**
 * Which repositories of a registry a blob was last seen in (pushed, found or pulled), so a push
 * to another repository of the same registry can mount it instead of uploading it
 * (`POST …/blobs/uploads/?mount=DIGEST&from=REPO`). A hint, not a truth: a mount the registry
 * refuses just becomes an upload. Kept in the cache folder as `registry-blobs.json`
 * (`{"registries": {REGISTRY: {DIGEST: [REPO, …]}}}`), newest first, bounded in size, and written
 * whole by rename; two pushes writing at once may lose each other's additions, nothing worse.
 */
export interface BlobRecord {
  /** Repositories of `registry` known to hold `digest`, newest first. */
  readonly reposOf: (registry: string, digest: string) => readonly string[];
  readonly note: (registry: string, digest: string, repository: string) => void;
  /** Writes the additions (merged with what another process wrote meanwhile). Never fails the push. */
  readonly save: () => Promise<void>;
}

type Registries = Record<string, Record<string, string[]>>;

const FILE = "registry-blobs.json";
const REPOS_PER_BLOB = 3;
const BLOBS_PER_REGISTRY = 20_000;

const load = async (file: string): Promise<Registries> => {
  try {
    const json = JSON.parse(await fs.readFile(file, "utf8")) as { readonly registries?: unknown };
    return typeof json.registries === "object" && json.registries !== null ? (json.registries as Registries) : {};
  } catch {
    return {}; // absent or damaged: start afresh
  }
};

const add = (registries: Registries, registry: string, digest: string, repository: string): void => {
  const blobs = (registries[registry] ??= {});
  const repos = [repository, ...(Array.isArray(blobs[digest]) ? blobs[digest].filter((r) => r !== repository) : [])].slice(0, REPOS_PER_BLOB);
  delete blobs[digest]; // re-inserted last: the object's order is the order of use
  blobs[digest] = repos;
  const digests = Object.keys(blobs);
  for (const old of digests.slice(0, Math.max(0, digests.length - BLOBS_PER_REGISTRY))) delete blobs[old];
};

/** Opens the record in `cacheDir`; `undefined` cacheDir: an in-memory record that is never saved. */
export const openBlobRecord = async (cacheDir: string | undefined): Promise<BlobRecord> => {
  const file = cacheDir === undefined ? undefined : path.join(cacheDir, FILE);
  const known = file === undefined ? {} : await load(file);
  const added: [string, string, string][] = [];
  return {
    reposOf: (registry, digest) => {
      const repos = known[registry]?.[digest];
      return Array.isArray(repos) ? repos : [];
    },
    note: (registry, digest, repository) => {
      add(known, registry, digest, repository);
      added.push([registry, digest, repository]);
    },
    save: async () => {
      if (file === undefined || added.length === 0) return;
      try {
        const current = await load(file);
        for (const [registry, digest, repository] of added) add(current, registry, digest, repository);
        await fs.mkdir(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        await fs.writeFile(temporary, JSON.stringify({ registries: current }));
        await fs.rename(temporary, file);
      } catch {
        // The record only saves uploads later; a cache folder we cannot write is not the push's failure.
      }
    },
  };
};
