import { createHash } from "node:crypto";
import type { Hash } from "node:crypto";
import type { Writable } from "node:stream";

// Gathers the archive into 1 MiB chunks, hashes and counts each chunk once, and hands it to the
// Writable with backpressure. File data is read straight into the chunk (`space`/`commit`), so
// a small file costs no copy and a large one streams through in chunk-sized reads.
// Throws (rejects) only for failures of the Writable; the writer maps them to WriteFailed.
export const CHUNK_SIZE = 1024 * 1024;

export class HashingSink {
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  private used = 0;
  private written = 0;
  private readonly hash: Hash = createHash("sha256");
  private failure: unknown = undefined;

  constructor(private readonly out: Writable) {
    out.on("error", (e: unknown) => {
      this.failure ??= e;
    });
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

  commit(n: number): void {
    this.used += n;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const chunk = this.chunk.subarray(0, this.used);
    this.hash.update(chunk);
    this.written += this.used;
    // The Writable keeps a reference until it has written the chunk: start a fresh one.
    this.chunk = Buffer.allocUnsafe(CHUNK_SIZE);
    this.used = 0;
    this.throwIfFailed();
    if (!this.out.write(chunk)) await waitForDrain(this.out);
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
