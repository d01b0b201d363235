import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// A fresh folder under the system temp dir, resolved (no symlinks in its path). Its name is
// lower case: podman names an `oci:PATH` image after PATH and rejects upper-case letters.
export const makeTempDir = async (prefix: string): Promise<string> => {
  const dir = path.join(os.tmpdir(), `ocistage-${prefix}-${randomBytes(6).toString("hex")}`);
  await fs.mkdir(dir, { mode: 0o700 });
  return fs.realpath(dir);
};

export const removeTempDir = async (dir: string | undefined): Promise<void> => {
  if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
};
