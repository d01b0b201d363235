/**
 * What a push or pull tells about its progress, for a progress bar: the totals once known, then
 * each blob's bytes as they go (the count for the blob's current try: a restarted upload starts
 * again from 0) and each blob's end. The registry package draws nothing itself.
 */
export interface TransferProgress {
  readonly begin: (totalBytes: number, totalBlobs: number) => void;
  readonly blobBytes: (digest: string, bytesDone: number) => void;
  readonly blobDone: (digest: string, size: number) => void;
  readonly end: () => void;
}

export const silentProgress: TransferProgress = { begin: () => undefined, blobBytes: () => undefined, blobDone: () => undefined, end: () => undefined };
