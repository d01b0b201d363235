import { promises as fs } from "node:fs";
import * as path from "node:path";

// `mkdir -p`, one level at a time: Node 20's recursive mkdir retries forever where a parent
// refuses new entries without saying EACCES (below /proc it spins at full CPU).
/** Makes `folder` and its missing parents (`mkdir -p`); errors are fs's, e.g. ENOENT below /proc. */
export const makeFolders = async (folder: string): Promise<void> => {
  const missing: string[] = [];
  for (let at = folder; (await fs.lstat(at).catch(() => undefined)) === undefined; at = path.dirname(at)) {
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const dir of missing)
    await fs.mkdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "EEXIST") throw e; // made meanwhile by a concurrent writer: fine
    });
};

