import type Tinypool from "tinypool";

/** A codec the pool runs: each block is compressed on its own (compressBlock.mjs). */
export type BlockCodec = "gzip" | "zstd";

/** A compressed block, and the block's own buffer handed back for reuse. */
export interface CompressedBlock {
  readonly out: Uint8Array;
  readonly block: Uint8Array;
}

/**
 * Worker threads that compress blocks (tinypool). `compress` takes the block (its buffer is
 * moved to the worker, not copied: the caller must not touch it until it comes back) and resolves
 * to the block's compressed bytes and the block itself; blocks are independent, so any thread may
 * take any block and the bytes do not depend on how many threads there are. `close` ends the threads.
 */
export interface CompressionPool {
  readonly compress: (codec: BlockCodec, level: number, block: Uint8Array) => Promise<CompressedBlock>;
  readonly close: () => Promise<void>;
}

// Beside this file in the sources, and beside the CLI's bundle in packages/cli/dist, where the
// launcher bundles it (packages/cli/bin/ocistage.mjs).
const WORKER = new URL("./compressWorker.mjs", import.meta.url);

/**
 * A pool of up to `threads` workers, started on the first block: a build without a compressed
 * layer never loads tinypool or starts a thread.
 */
export const openCompressionPool = (threads: number): CompressionPool => {
  let started: Promise<Tinypool> | undefined;
  let pool: Tinypool | undefined;
  const start = async (): Promise<Tinypool> => {
    const { default: Pool } = await import("tinypool");
    pool = new Pool({ filename: WORKER.href, minThreads: 0, maxThreads: Math.max(1, threads), idleTimeout: 1000 });
    return pool;
  };
  return {
    compress: async (codec, level, block) => {
      started ??= start();
      const workers = await started;
      const whole = block.byteOffset === 0 && block.byteLength === block.buffer.byteLength ? block : block.slice();
      return (await workers.run({ codec, level, bytes: whole }, { transferList: [whole.buffer as ArrayBuffer] })) as CompressedBlock;
    },
    close: async () => {
      await started?.catch(() => undefined);
      await pool?.destroy();
      pool = undefined;
      started = undefined;
    },
  };
};
