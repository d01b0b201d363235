// @ts-check
// The worker thread of the compression pool (compressionPool.ts): one block in, its compressed
// bytes out, handed back without a copy, with the block's buffer for reuse.
import Tinypool from "tinypool";
import { compressBlock } from "./compressBlock.mjs";

/**
 * @param {{ readonly codec: "gzip" | "zstd"; readonly level: number; readonly bytes: Uint8Array }} task
 */
export default async ({ codec, level, bytes }) => {
  const out = await compressBlock(codec, bytes, level);
  // Only a buffer of its own may be moved: a view into a larger one would give it all away.
  const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice();
  // The block goes back too, for the next block: nothing of 1 MiB is allocated per block. Both
  // buffers are moved (tinypool transfers the list a movable value names).
  return Tinypool.move({ [Tinypool.transferableSymbol]: [own.buffer, bytes.buffer], [Tinypool.valueSymbol]: { out: own, block: bytes } });
};
