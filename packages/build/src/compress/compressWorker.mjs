// @ts-check
// The worker thread of the compression pool (compressionPool.ts): one block in, its compressed
// bytes out, handed back without a copy.
import Tinypool from "tinypool";
import { compressBlock } from "./compressBlock.mjs";

/**
 * @param {{ readonly codec: "gzip" | "zstd"; readonly level: number; readonly bytes: Uint8Array }} task
 */
export default async ({ codec, level, bytes }) => {
  const out = await compressBlock(codec, bytes, level);
  // Only a buffer of its own may be moved: a view into a larger one would give it all away.
  const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice();
  return Tinypool.move(own);
};
