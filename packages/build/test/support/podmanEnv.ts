import { promises as fs } from "node:fs";
import * as path from "node:path";

export interface PodmanEnv {
  readonly env: NodeJS.ProcessEnv;
  readonly args: readonly string[]; // podman's global options; the verb follows them
}

// A podman that keeps all its state in `dir`: vfs storage unless told (no overlay mounts to leak), its own
// root, runroot and tmpdir, no event log, runc (the runtime installed here) and a
// CONTAINERS_CONF with `default_ulimits = []` (this machine's limits cannot be raised).
// `overlay` storage is what podman uses by default, for tests of its limits; it is told not to
// bind-mount its own root (skip_mount_home), so nothing stays mounted when the test folder goes.
export const podmanEnv = async (dir: string, storage: "vfs" | "overlay" = "vfs"): Promise<PodmanEnv> => {
  const conf = path.join(dir, "containers.conf");
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(conf, "[containers]\ndefault_ulimits = []\n");
  return {
    env: { ...process.env, CONTAINERS_CONF: conf },
    args: [
      "--root", path.join(dir, "root"),
      "--runroot", path.join(dir, "runroot"),
      "--tmpdir", path.join(dir, "tmp"),
      "--storage-driver", storage,
      ...(storage === "overlay" ? ["--storage-opt", "overlay.skip_mount_home=true"] : []),
      "--events-backend", "none",
      "--runtime", "runc",
    ],
  };
};
