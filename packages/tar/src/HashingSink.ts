import { createHash } from "node:crypto";
import type { Hash } from "node:crypto";
import type { Writable } from "node:stream";

// Gathers the archive into 1 MiB chunks, hashes and counts each chunk once, and hands it to the
// Writable with backpressure. A small file is read straight into the chunk (`reserve`/`commit`),
// so it costs no copy; a large one is handed over chunk by chunk (`acquire`/`pushOwned`).
// Throws (rejects) only for failures of the Writable; the writer maps them to WriteFailed.
export const CHUNK_SIZE = 1024 * 1024;

export interface SinkOptions {
  // Reuse chunks once the Writable has written them (its write callback ran), from a pool of
  // POOL_CHUNKS: no allocation, page faults or garbage per MiB, and up to the whole pool of
  // writes queued behind the hashing. Only for a Writable that keeps no reference to a chunk
  // after its callback, such as a file stream; otherwise every chunk is handed over for good.
  readonly recycle?: boolean;
  // false: count the bytes but do not hash them (image.oci.tar: nobody needs its digest).
  readonly hash?: boolean;
}

export const POOL_CHUNKS = 4;

export class HashingSink {
  private readonly recycle: boolean;
  private readonly hashing: boolean;
  private readonly free: Buffer[] = [];
  private allocated = 1;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  private used = 0;
  private written = 0;
  private readonly hash: Hash = createHash("sha256");
  private failure: unknown = undefined;

  constructor(
    private readonly out: Writable,
    options: SinkOptions = {},
  ) {
    this.recycle = options.recycle ?? false;
    this.hashing = options.hash ?? true;
    out.on("error", (e: unknown) => {
      this.failure ??= e;
      this.wake();
    });
    out.on("close", () => this.wake());
  }

  async push(bytes: Uint8Array): Promise<void> {
    let from = 0;
    while (from < bytes.length) {
      const space = await this.space();
      const n = Math.min(space.length, bytes.length - from);
      space.set(bytes.subarray(from, from + n));
      this.commit(n);
      from += n;
    }
  }

  // The free end of the current chunk (never empty): fill it, then commit what was filled.
  async space(): Promise<Buffer> {
    if (this.used === CHUNK_SIZE) await this.flush();
    return this.chunk.subarray(this.used);
  }

  // `n` (at most CHUNK_SIZE) contiguous free bytes at the end of the current chunk.
  async reserve(n: number): Promise<Buffer> {
    if (CHUNK_SIZE - this.used < n) await this.flush();
    return this.chunk.subarray(this.used, this.used + n);
  }

  commit(n: number): void {
    this.used += n;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.chunk;
    const data = full.subarray(0, this.used);
    // The Writable keeps a reference until it has written the chunk: go on in another one.
    this.chunk = await this.acquire();
    this.used = 0;
    await this.emit(data, full);
  }

  // A whole chunk for the caller to fill (a large file's next read), then hand to pushOwned.
  async acquire(): Promise<Buffer> {
    if (!this.recycle) return Buffer.allocUnsafe(CHUNK_SIZE);
    for (;;) {
      this.throwIfFailed();
      const free = this.free.pop();
      if (free !== undefined) return free;
      // Never wait when no write is under way: nothing would ever come back (the caller holds
      // the other chunks), so the pool grows by one instead.
      if (this.allocated < POOL_CHUNKS || this.inFlight === 0) {
        this.allocated++;
        return Buffer.allocUnsafe(CHUNK_SIZE);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  // Takes `data`, the filled start of a chunk from acquire(), after what is pending: no copy.
  async pushOwned(data: Buffer, chunk: Buffer): Promise<void> {
    await this.flush();
    await this.emit(data, chunk);
  }

  private async emit(data: Buffer, chunk: Buffer): Promise<void> {
    if (this.hashing) this.hash.update(data);
    this.written += data.length;
    this.throwIfFailed();
    if (this.recycle) {
      // The pool bounds what is queued; the chunk comes back once it is on its way to disk.
      this.inFlight++;
      this.out.write(data, () => {
        this.inFlight--;
        this.free.push(chunk);
        this.wake();
      });
      return;
    }
    if (!this.out.write(data)) await waitForDrain(this.out);
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  // Flushes, ends the Writable and waits until it has written everything.
  async end(): Promise<{ readonly sha256: string; readonly size: number }> {
    await this.flush();
    this.throwIfFailed();
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (this.failure !== undefined) throw this.failure;
    return { sha256: this.hash.digest("hex"), size: this.written };
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.out.destroyed) throw new Error("the output was closed before the tar was written");
  }
}

const waitForDrain = (out: Writable): Promise<void> =>
  new Promise((resolve, reject) => {
    const cleanup = (): void => {
      out.off("drain", onDrain);
      out.off("error", onError);
      out.off("close", onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (e: unknown): void => {
      cleanup();
      reject(e);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error("the output was closed before the tar was written"));
    };
    out.on("drain", onDrain);
    out.on("error", onError);
    out.on("close", onClose);
  });
