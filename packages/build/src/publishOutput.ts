import * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";
import { processAlive } from "./processAlive.ts";

// Where builds of DIR live: `.<name>.ocistage/` beside DIR. DIR itself is a symlink to the
// current build, so replacing it is one rename(2): at every instant DIR is either the whole
// previous image or the whole new one, even if the process is killed.
export const storeDirOf = (out: string): string => path.join(path.dirname(path.resolve(out)), `.${path.basename(path.resolve(out))}.ocistage`);

const io = (file: string) => (e: unknown): BuildError => ({ _tag: "Io", at: "build", path: file, reason: reasonOf(e) });

// A fresh working folder for this build. Leftovers of killed builds (their pid is gone) are
// removed first, so they never pile up or get mistaken for output.
export const startBuildDir = (out: string): TE.TaskEither<BuildError, string> =>
  TE.tryCatch(
    async () => {
      const resolved = path.resolve(out);
      const existing = await fs.lstat(resolved).catch(() => undefined);
      if (existing !== undefined && !existing.isSymbolicLink()) {
        const isOurs = existing.isDirectory() && ((await fs.readdir(resolved)).length === 0 || (await fs.stat(path.join(resolved, "oci-layout")).catch(() => undefined)) !== undefined);
        if (!isOurs) throw new Error("exists and is not an ocistage output (an OCI layout or an empty folder); choose another --out or remove it");
      }
      const store = storeDirOf(out);
      await fs.mkdir(store, { recursive: true });
      // Everything below is removed by name: through a symlink planted at the store's path it
      // would remove files elsewhere.
      if (!(await fs.lstat(store)).isDirectory()) throw new Error(`${store} exists and is not a folder; remove it`);
      for (const name of await fs.readdir(store)) {
        const pid = /^tmp-(\d+)-/.exec(name)?.[1];
        if (pid !== undefined && !processAlive(Number(pid))) await fs.rm(path.join(store, name), { recursive: true, force: true });
      }
      // A symlink a killed build was about to rename over DIR.
      const linkPrefix = `${path.basename(resolved)}.tmp-link-`;
      for (const name of await fs.readdir(path.dirname(resolved))) {
        const pid = name.startsWith(linkPrefix) ? Number(name.slice(linkPrefix.length)) : NaN;
        if (Number.isInteger(pid) && !processAlive(pid)) await fs.rm(path.join(path.dirname(resolved), name), { force: true });
      }
      const dir = await fs.mkdtemp(path.join(store, `tmp-${process.pid}-`));
      await fs.chmod(dir, 0o755); // mkdtemp makes it 0700; the image is for other users too
      return dir;
    },
    io(out),
  );

// A failed build's working folder goes, and so does the store beside DIR if that leaves it
// empty (a first build that failed: at most an empty cache folder), so a failure leaves nothing
// behind. rmdir removes only empty folders, and tmp- folders (a concurrent build's) are skipped,
// so an earlier image or another build's work is never touched.
export const discardBuildDir = (out: string, buildDir: string): TE.TaskEither<BuildError, void> =>
  TE.tryCatch(
    async () => {
      await fs.rm(buildDir, { recursive: true, force: true });
      const store = storeDirOf(out);
      for (const name of await fs.readdir(store).catch(() => [])) {
        if (!name.startsWith("tmp-")) await fs.rmdir(path.join(store, name)).catch(() => undefined);
      }
      await fs.rmdir(store).catch(() => undefined);
    },
    io(buildDir),
  );

// Earlier images and folders moved aside by older versions; nothing else in the store is removed.
const OLD_BUILD = /^(sha256-[0-9a-f]{64}|legacy-\d+)$/;

// Removes a folder of the store in two steps: first renamed to a tmp-<pid>- name (atomic), then
// deleted. A build killed in between leaves a tmp- folder, which the next build removes; never a
// half-deleted folder under a content name that a later build could take for a whole image.
const discard = async (store: string, name: string): Promise<void> => {
  const doomed = path.join(store, `tmp-${process.pid}-old-${Math.random().toString(36).slice(2)}`);
  await fs.rename(path.join(store, name), doomed);
  await fs.rm(doomed, { recursive: true, force: true });
};

// Moves the finished build to its content name and points DIR at it; older builds are removed.
export const publishBuildDir = (out: string, buildDir: string, id: string): TE.TaskEither<BuildError, string> =>
  TE.tryCatch(
    async () => {
      const resolved = path.resolve(out);
      const store = storeDirOf(out);
      const final = path.join(store, id);
      const current = await fs.readlink(resolved).catch(() => undefined);
      if (current !== undefined && path.resolve(path.dirname(resolved), current) === final) {
        // The same image again, and DIR points at it right now: keep it, drop ours.
        await fs.rm(buildDir, { recursive: true, force: true });
      } else {
        // A folder of that name that DIR does not point at may be half removed (a build killed
        // while cleaning up): ours replaces it rather than trusting it.
        if ((await fs.lstat(final).catch(() => undefined)) !== undefined) await discard(store, id);
        await fs.rename(buildDir, final);
      }
      const existing = await fs.lstat(resolved).catch(() => undefined);
      if (existing !== undefined && !existing.isSymbolicLink()) {
        // A plain folder from an older run: move it aside first (the only non-atomic moment, once).
        await fs.rename(resolved, path.join(store, `legacy-${process.pid}`));
      }
      const link = `${resolved}.tmp-link-${process.pid}`;
      await fs.rm(link, { force: true });
      await fs.symlink(path.relative(path.dirname(resolved), final), link);
      await fs.rename(link, resolved);
      for (const name of await fs.readdir(store)) {
        if (name !== id && OLD_BUILD.test(name)) await discard(store, name);
      }
      return final;
    },
    io(out),
  );
