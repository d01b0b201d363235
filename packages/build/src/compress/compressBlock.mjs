// @ts-check
// The block codecs, in plain JavaScript so a worker thread can load this file as it is (vitest
// runs the TypeScript sources; a worker does not go through its transform). Pinned compressors,
// never Node's zlib (Chromium's fork, whose output moves with the CPU and the Node version):
// - gzip: fflate's deflate (pure JS), fflate's `mem` fixed, each block its own dictionary,
//   ended by a sync flush (an empty stored block), so blocks concatenate into one deflate stream
//   as pigz's do;
// - zstd: libzstd compiled to WebAssembly (@bokuweb/zstd-wasm), each block one frame.
// The same block in gives the same bytes out, on any machine, in any thread.
import { Deflate } from "fflate";
import { compress, init } from "@bokuweb/zstd-wasm";

// fflate sizes its hash tables from `mem` (2^(12+mem) bytes); fixed, so no default can move it.
const DEFLATE_MEM = 4;

/**
 * A raw deflate stream of `bytes` at `level`, not final, ending on a byte boundary.
 * @param {Uint8Array} bytes
 * @param {number} level
 * @returns {Uint8Array}
 */
export const deflateBlock = (bytes, level) => {
  /** @type {Uint8Array[]} */
  const parts = [];
  const deflate = new Deflate({ level: /** @type {0|1|2|3|4|5|6|7|8|9} */ (level), mem: DEFLATE_MEM }, (chunk) => void parts.push(chunk));
  deflate.push(bytes, false);
  deflate.flush(true);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** @type {Promise<void> | undefined} */
let zstdReady;

/**
 * One zstd frame of `bytes` at `level` (with its content size, without a checksum).
 * @param {Uint8Array} bytes
 * @param {number} level
 * @returns {Promise<Uint8Array>}
 */
export const zstdBlock = async (bytes, level) => {
  zstdReady ??= init();
  await zstdReady;
  return compress(bytes, level);
};

/**
 * @param {"gzip" | "zstd"} codec
 * @param {Uint8Array} bytes
 * @param {number} level
 * @returns {Promise<Uint8Array>}
 */
export const compressBlock = async (codec, bytes, level) => (codec === "gzip" ? deflateBlock(bytes, level) : zstdBlock(bytes, level));
