import type { TreeNode } from "../LayerTree.ts";

// The newest change time among the layer's files on disk, in nanoseconds since the epoch, and
// whether every one of them sits on a whole second (a file system with coarse timestamps).
export interface InputTimes {
  readonly newestCtimeNs: bigint;
  readonly wholeSeconds: boolean;
}

export const inputTimes = (nodes: readonly TreeNode[]): InputTimes => {
  let newestCtimeNs = 0n;
  let wholeSeconds = true;
  for (const node of nodes) {
    if (node.data._tag !== "File" || node.data.from._tag !== "Disk") continue;
    const { ctimeNs } = node.data.from.identity;
    if (ctimeNs > newestCtimeNs) newestCtimeNs = ctimeNs;
    if (ctimeNs % 1_000_000_000n !== 0n) wholeSeconds = false;
  }
  return { newestCtimeNs, wholeSeconds };
};

// Whether a record may be kept for a layer whose files were lstat'ed at `statedAtNs`. A file
// written again within the same clock tick as that lstat could keep its ctime and size: git
// calls such entries "racily clean" and so do we, recording them only once their newest
// change is older than the timestamp granularity (a few ms; 2 s where timestamps are whole
// seconds). The layer is built correctly either way; it is just not cached yet.
export const safeToRecord = (times: InputTimes, statedAtNs: bigint): boolean => {
  const granularityNs = times.wholeSeconds ? 2_000_000_000n : 50_000_000n;
  return times.newestCtimeNs === 0n || times.newestCtimeNs + granularityNs < statedAtNs;
};
