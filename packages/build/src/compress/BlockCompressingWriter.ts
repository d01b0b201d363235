import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { Writable } from "node:stream";
import { COMPRESSION_BLOCK_SIZE } from "@ocistage/program";
import type { BlockCodec, CompressedBlock, CompressionPool } from "./compressionPool.ts";
import { DEFLATE_END, GZIP_HEADER, crcAfter, gzipTrailer } from "./gzipFrame.ts";

/** The stored blob a writer produced: the sha256 and length of the compressed bytes. */
export interface CompressedBlob {
  readonly digest: `sha256:${string}`;
  readonly size: number;
}

/**
 * A Writable that takes a layer tar and writes it compressed into `file`, as pigz does: the tar
 * is cut into blocks of COMPRESSION_BLOCK_SIZE bytes at fixed offsets, each block compressed on
 * its own by the pool's threads (several at once), and the results written in order. The bytes
 * depend on the tar alone, never on the number of threads or on how the tar arrived in chunks.
 * gzip: one member (gzipFrame.ts) around the blocks' deflate streams; zstd: one frame per block
 * (a zstd stream may hold several frames). At most `window` blocks are in flight, so memory stays
 * at a few MiB whatever the layer's size. It copies what it is given: a chunk is free for reuse as
 * soon as its write callback runs. `blob()` tells the digest once the writer has finished.
 */
export class BlockCompressingWriter extends Writable {
  private block: Uint8Array = new Uint8Array(COMPRESSION_BLOCK_SIZE);
  private used = 0;
  private readonly free: Uint8Array[] = []; // blocks back from the pool, for reuse
  private readonly pending: Promise<CompressedBlock>[] = [];
  private readonly hash = createHash("sha256");
  private written = 0;
  private crc = 0;
  private taken = 0;
  private started = false;
  private done: CompressedBlob | undefined;

  constructor(
    private readonly file: FileHandle,
    private readonly codec: BlockCodec,
    private readonly level: number,
    private readonly pool: CompressionPool,
    private readonly window: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.take(chunk).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.finish().then(() => callback(), callback);
  }

  /** The compressed blob's digest and size; only after the writer has finished. */
  blob(): CompressedBlob {
    if (this.done === undefined) throw new Error("bug: the compressed blob is asked for before the writer finished");
    return this.done;
  }

  private async take(chunk: Uint8Array): Promise<void> {
    if (!this.started) {
      this.started = true;
      if (this.codec === "gzip") await this.put(GZIP_HEADER);
    }
    let from = 0;
    while (from < chunk.length) {
      const n = Math.min(COMPRESSION_BLOCK_SIZE - this.used, chunk.length - from);
      this.block.set(chunk.subarray(from, from + n), this.used);
      this.used += n;
      from += n;
      if (this.used === COMPRESSION_BLOCK_SIZE) await this.dispatch(this.window);
    }
  }

  // Hands the current block to the pool and starts a new one; waits while `limit` blocks are in flight.
  private async dispatch(limit: number): Promise<void> {
    const block = this.used === COMPRESSION_BLOCK_SIZE ? this.block : this.block.slice(0, this.used);
    if (this.codec === "gzip") this.crc = crcAfter(this.crc, block);
    this.taken += block.length;
    const job = this.pool.compress(this.codec, this.level, block);
    job.catch(() => undefined); // awaited in order below; a failure must not go unhandled meanwhile
    this.pending.push(job);
    this.block = this.free.pop() ?? new Uint8Array(COMPRESSION_BLOCK_SIZE);
    this.used = 0;
    while (this.pending.length >= limit) await this.emitOldest();
  }

  private async emitOldest(): Promise<void> {
    const job = this.pending.shift();
    if (job === undefined) return;
    const { out, block } = await job;
    if (block.byteLength === COMPRESSION_BLOCK_SIZE) this.free.push(block);
    await this.put(out);
  }

  private async put(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    this.written += bytes.length;
    for (let at = 0; at < bytes.length; ) at += (await this.file.write(bytes, at, bytes.length - at)).bytesWritten;
  }

  private async finish(): Promise<void> {
    if (!this.started) await this.take(new Uint8Array(0));
    if (this.used > 0) await this.dispatch(Number.POSITIVE_INFINITY);
    while (this.pending.length > 0) await this.emitOldest();
    if (this.codec === "gzip") {
      await this.put(DEFLATE_END);
      await this.put(gzipTrailer(this.crc, this.taken));
    }
    this.done = { digest: `sha256:${this.hash.digest("hex")}`, size: this.written };
  }
}
