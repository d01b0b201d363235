import * as T from "fp-ts/lib/Task.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";
import { blobsDir } from "./blobStore.ts";
import { makeFolders } from "./makeFolders.ts";
import { processAlive } from "./processAlive.ts";
import { TEMPORARY_NAME, temporaryPath } from "./temporaryPath.ts";

// The output folder DIR is a plain OCI layout (image-spec image-layout.md), updated the way
// layouts are meant to be: blobs are content-addressed and added by rename (an existing one is
// kept), index.json is replaced last by one rename, and only then are the blobs the new index
// no longer names removed. At every instant DIR's index.json and every blob it names are whole:
// a build killed at any moment leaves the previous image (and at worst some extra blobs, or
// temporaries the next build removes). Temporaries live in DIR itself, never beside it, named
// `.ocistage-tmp-<pid>-…` so a later build can tell a dead build's from a running one's.

/** An output folder opened for one build. */
export interface OutputFolder {
  readonly out: string; // absolute
  readonly created: boolean; // the build made DIR: a failed build removes it again
  readonly empty: boolean; // DIR was an empty folder: a failed build empties it again
  readonly before: ReadonlySet<string>; // blob names (hex) DIR held when the build began
}

const LOCK = ".ocistage-lock";


const unusable = (out: string, reason: string): BuildError => ({ _tag: "OutputUnusable", path: out, reason });
const io = (file: string) => (e: unknown): BuildError => ({ _tag: "Io", at: "build", path: file, reason: reasonOf(e) });

// Before this layout model, DIR was a symlink into `.DIR.ocistage/` beside it: such an output is
// replaced by a plain folder once (the only moment the old image is not there).
const migrateLinkedOutput = async (out: string): Promise<boolean> => {
  const stat = await fs.lstat(out).catch(() => undefined);
  if (stat === undefined || !stat.isSymbolicLink()) return false;
  const store = path.join(path.dirname(out), `.${path.basename(out)}.ocistage`);
  const target = path.resolve(path.dirname(out), await fs.readlink(out));
  if (path.dirname(target) !== store) return false;
  await fs.rm(out);
  await fs.rm(store, { recursive: true, force: true });
  return true;
};

// One build per output folder at a time: a lock file holding the builder's pid. A dead
// builder's lock (killed) is taken over.
const takeLock = async (out: string): Promise<string | undefined> => {
  const lock = path.join(out, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lock, `${process.pid}\n`, { flag: "wx" });
      return undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number((await fs.readFile(lock, "utf8").catch(() => "")).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) return `another build (pid ${holder}) is writing this folder`;
      await fs.rm(lock, { force: true });
    }
  }
  return "cannot take the folder's lock";
};

/**
 * Opens DIR for a build: made if absent; else it must be a folder that is empty or holds an OCI
 * layout (`oci-layout`), and no other build may be writing it. Temporaries of dead builds are
 * removed. Errors: OutputUnusable (exit 1) for a folder that is not ours, Io otherwise.
 */
export const openOutput = (given: string): TE.TaskEither<BuildError, OutputFolder> => {
  const out = path.resolve(given);
  return async () => {
    try {
      await migrateLinkedOutput(out);
      const stat = await fs.lstat(out).catch(() => undefined);
      let created = false;
      let empty = false;
      if (stat === undefined) {
        await makeFolders(out);
        created = true;
      } else if (!stat.isDirectory()) return { _tag: "Left", left: unusable(out, "exists and is not a folder; choose another --out or remove it") };
      else {
        const names = await fs.readdir(out);
        const isLayout = names.includes("oci-layout");
        empty = names.length === 0;
        if (names.length > 0 && !isLayout) return { _tag: "Left", left: unusable(out, "exists and is not an OCI layout (no oci-layout file) nor an empty folder; choose another --out or remove it") };
      }
      const busy = await takeLock(out);
      if (busy !== undefined) return { _tag: "Left", left: unusable(out, busy) };
      for (const name of await fs.readdir(out)) {
        const pid = TEMPORARY_NAME.exec(name)?.[1];
        if (pid !== undefined && !processAlive(Number(pid))) await fs.rm(path.join(out, name), { recursive: true, force: true });
      }
      await fs.mkdir(blobsDir(out), { recursive: true });
      const before = new Set(await fs.readdir(blobsDir(out)));
      return { _tag: "Right", right: { out, created, empty, before } };
    } catch (e) {
      return { _tag: "Left", left: io(out)(e) };
    }
  };
};

/** What a finished build puts in place: index.json's bytes and, when built anew, the archive's temporary. */
export interface Publication {
  readonly index: Uint8Array;
  readonly archive?: { readonly temporary: string; readonly name: string };
  readonly referenced: ReadonlySet<string>; // every blob (hex) the new index.json reaches
}

/**
 * Puts a finished build in place: the archive (whole, by rename), then index.json (by rename:
 * this is the moment the new image appears), then removes the blobs the new index does not reach.
 */
export const publishOutput = (folder: OutputFolder, publication: Publication): TE.TaskEither<BuildError, void> =>
  TE.tryCatch(
    async () => {
      const { out } = folder;
      if (publication.archive !== undefined) await fs.rename(publication.archive.temporary, path.join(out, publication.archive.name));
      const index = temporaryPath(out, "index");
      await fs.writeFile(index, publication.index);
      await fs.rename(index, path.join(out, "index.json"));
      for (const name of await fs.readdir(blobsDir(out)))
        if (!publication.referenced.has(name)) await fs.rm(path.join(blobsDir(out), name), { recursive: true, force: true });
      await releaseOutput(out);
    },
    io(folder.out),
  );

const releaseOutput = async (out: string): Promise<void> => {
  for (const name of await fs.readdir(out).catch((): string[] => []))
    if (TEMPORARY_NAME.exec(name)?.[1] === String(process.pid)) await fs.rm(path.join(out, name), { recursive: true, force: true });
  await fs.rm(path.join(out, LOCK), { force: true });
};

/**
 * After a failed build: the blobs it added and its temporaries go, and DIR itself if the build
 * made it; index.json and every blob it names are untouched, so DIR is the previous image.
 */
export const abandonOutput = (folder: OutputFolder): T.Task<void> => async () => {
  const { out } = folder;
  if (folder.created) {
    await fs.rm(out, { recursive: true, force: true }).catch(() => undefined);
    return;
  }
  if (folder.empty) {
    for (const name of await fs.readdir(out).catch((): string[] => [])) await fs.rm(path.join(out, name), { recursive: true, force: true }).catch(() => undefined);
    return;
  }
  for (const name of await fs.readdir(blobsDir(out)).catch((): string[] => []))
    if (!folder.before.has(name)) await fs.rm(path.join(blobsDir(out), name), { force: true }).catch(() => undefined);
  await releaseOutput(out).catch(() => undefined);
};
