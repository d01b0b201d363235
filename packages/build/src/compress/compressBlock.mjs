// @ts-check
// The block codecs, in plain JavaScript so a worker thread can load this file as it is (vitest
// runs the TypeScript sources; a worker does not go through its transform). Pinned compressors,
// never Node's zlib (Chromium's fork, whose output moves with the CPU and the Node version):
// - gzip: pako's deflate (zlib's algorithm in pure JS; every setting given), each block its own
//   stream ended by a sync flush (Z_SYNC_FLUSH: an empty stored block, byte-aligned, not final),
//   so blocks concatenate into one deflate stream as pigz's do. Not fflate: its streaming
//   deflate (the only way to a sync flush there) wrote an invalid stream for ~15% of 1 MiB
//   blocks of a real tar here, where pako's and zlib's agree;
// - zstd: libzstd compiled to WebAssembly (@bokuweb/zstd-wasm), each block one frame.
// The same block in gives the same bytes out, on any machine, in any thread.
import { Deflate, Z_SYNC_FLUSH, deflateRaw } from "pako";
import { compress, init } from "@bokuweb/zstd-wasm";

// Every pako setting that shapes the output, fixed: raw deflate, a 32 KiB window, zlib's
// default memory level and strategy, pako 3's (non-legacy) hash.
/** @param {number} level */
const settings = (level) => ({ level, raw: true, windowBits: 15, memLevel: 8, strategy: 0, legacyHash: false });

// Incompressible data (compressed files, random bytes) is stored, not searched for matches that
// are not there: deflate's slowest case, and what it would store anyway. A block is taken for
// incompressible when each of SAMPLES slices of SAMPLE bytes at fixed offsets shrinks by less than
// 2% at level 1. Decided by the block's bytes alone, so still deterministic.
const SAMPLES = 4;
const SAMPLE = 16 * 1024;

/**
 * @param {Uint8Array} bytes
 * @returns {boolean}
 */
const incompressible = (bytes) => {
  if (bytes.length < SAMPLES * SAMPLE) return false;
  for (let i = 0; i < SAMPLES; i++) {
    const at = Math.floor((i * bytes.length) / SAMPLES);
    if (deflateRaw(bytes.subarray(at, at + SAMPLE), settings(1)).length < SAMPLE * 0.98) return false;
  }
  return true;
};

// Stored (uncompressed) deflate blocks, not final, of at most 65,535 bytes each; each starts on a
// byte boundary (the previous block ended with a sync flush), so its 3 header bits pad to one byte.
const STORED_MAX = 65535;

/**
 * @param {Uint8Array} bytes
 * @returns {Uint8Array}
 */
export const storedBlocks = (bytes) => {
  const count = Math.max(1, Math.ceil(bytes.length / STORED_MAX));
  const out = new Uint8Array(bytes.length + 5 * count);
  let at = 0;
  for (let from = 0, i = 0; i < count; i++, from += STORED_MAX) {
    const n = Math.min(STORED_MAX, bytes.length - from);
    out[at] = 0; // BFINAL 0, BTYPE 00 (stored), padding
    out[at + 1] = n & 0xff;
    out[at + 2] = n >>> 8;
    out[at + 3] = ~n & 0xff;
    out[at + 4] = (~n >>> 8) & 0xff;
    out.set(bytes.subarray(from, from + n), at + 5);
    at += 5 + n;
  }
  return out;
};

/**
 * A raw deflate stream of `bytes` at `level`, not final, ending on a byte boundary.
 * @param {Uint8Array} bytes
 * @param {number} level
 * @returns {Uint8Array}
 */
export const deflateBlock = (bytes, level) => {
  if (incompressible(bytes)) return storedBlocks(bytes);
  /** @type {Uint8Array[]} */
  const parts = [];
  // Room for the whole block in one output chunk (a block that does not shrink was stored above).
  const deflate = new Deflate({ ...settings(level), chunkSize: bytes.length + 4096 });
  deflate.onData = (chunk) => void parts.push(chunk);
  if (!deflate.push(bytes, Z_SYNC_FLUSH) || deflate.err !== 0) throw new Error(`deflate failed: ${deflate.msg}`);
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
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
