import * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";

// Where builds of DIR live: `.<name>.ocistage/` beside DIR. DIR itself is a symlink to the
// current build, so replacing it is one rename(2): at every instant DIR is either the whole
// previous image or the whole new one, even if the process is killed.
export const storeDirOf = (out: string): string => path.join(path.dirname(path.resolve(out)), `.${path.basename(path.resolve(out))}.ocistage`);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

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
      for (const name of await fs.readdir(store)) {
        const pid = /^tmp-(\d+)-/.exec(name)?.[1];
        if (pid !== undefined && !alive(Number(pid))) await fs.rm(path.join(store, name), { recursive: true, force: true });
      }
      // A symlink a killed build was about to rename over DIR.
      const linkPrefix = `${path.basename(resolved)}.tmp-link-`;
      for (const name of await fs.readdir(path.dirname(resolved))) {
        const pid = name.startsWith(linkPrefix) ? Number(name.slice(linkPrefix.length)) : NaN;
        if (Number.isInteger(pid) && !alive(pid)) await fs.rm(path.join(path.dirname(resolved), name), { force: true });
      }
      const dir = await fs.mkdtemp(path.join(store, `tmp-${process.pid}-`));
      await fs.chmod(dir, 0o755); // mkdtemp makes it 0700; the image is for other users too
      return dir;
    },
    io(out),
  );

// Moves the finished build to its content name and points DIR at it; older builds are removed.
export const publishBuildDir = (out: string, buildDir: string, id: string): TE.TaskEither<BuildError, string> =>
  TE.tryCatch(
    async () => {
      const resolved = path.resolve(out);
      const store = storeDirOf(out);
      const final = path.join(store, id);
      if ((await fs.lstat(final).catch(() => undefined)) !== undefined) {
        // The same image was built before: keep the existing folder (DIR may point at it right now).
        await fs.rm(buildDir, { recursive: true, force: true });
      } else {
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
        if (name !== id && !name.startsWith("tmp-")) await fs.rm(path.join(store, name), { recursive: true, force: true });
      }
      return final;
    },
    io(out),
  );
