import type { SingleBar } from "cli-progress";
import type { TransferProgress } from "@ocistage/registry";
import { silentProgress } from "@ocistage/registry";

const MiB = 1024 * 1024;
const mib = (bytes: number): string => (bytes / MiB).toFixed(1);

/**
 * A progress bar on standard error for a push or pull (blobs and bytes done, rate), drawn by
 * cli-progress, only when standard output is a terminal and neither --quiet nor --json was given;
 * otherwise nothing is drawn at all.
 */
export const progressBar = async (verb: string, show: boolean): Promise<TransferProgress> => {
  if (!show) return silentProgress;
  // Loaded only when a bar is drawn: the CLI's start-up does not pay for it.
  const { SingleBar: Bar } = await import("cli-progress");
  let bar: SingleBar | undefined;
  let started = 0;
  let doneBytes = 0;
  let doneBlobs = 0;
  let totalBlobs = 0;
  const current = new Map<string, number>();
  const update = (): void => {
    const bytes = doneBytes + [...current.values()].reduce((a, b) => a + b, 0);
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    bar?.update(bytes, { blobs: `${doneBlobs}/${totalBlobs}`, done: mib(bytes), rate: mib(bytes / seconds) });
  };
  return {
    begin: (totalBytes, blobs) => {
      started = Date.now();
      totalBlobs = blobs;
      bar = new Bar({
        format: `${verb} [{bar}] {percentage}% | {blobs} blobs | {done}/{totalMiB} MiB | {rate} MiB/s`,
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
        fps: 10,
      });
      bar.start(Math.max(1, totalBytes), 0, { blobs: `0/${blobs}`, done: "0.0", totalMiB: mib(totalBytes), rate: "0.0" });
    },
    blobBytes: (digest, bytes) => {
      current.set(digest, bytes);
      update();
    },
    blobDone: (digest, size) => {
      current.delete(digest);
      doneBytes += size;
      doneBlobs += 1;
      update();
    },
    end: () => {
      bar?.stop();
      bar = undefined;
      current.clear();
      doneBytes = 0;
      doneBlobs = 0;
    },
  };
};

/** Whether a progress bar is drawn: standard output a terminal, and not asked to be quiet. */
export const showProgress = (flags: { readonly quiet: boolean; readonly json: boolean }): boolean => process.stdout.isTTY === true && !flags.quiet && !flags.json;
