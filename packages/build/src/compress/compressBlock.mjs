// @ts-check
// The block codecs, in plain JavaScript so a worker thread can load this file as it is (vitest
// runs the TypeScript sources; a worker does not go through its transform). Pinned compressors,
// never Node's zlib (Chromium's fork, whose output moves with the CPU and the Node version):
// - gzip: pako's deflate (zlib's algorithm in pure JS; every setting given), each block its own
//   stream ended by a sync flush (Z_SYNC_FLUSH: an empty stored block, byte-aligned, not final),
//   so blocks concatenate into one deflate stream as pigz's do. Not fflate: its streaming
//   deflate (the only way to a sync flush there) wrote an invalid stream for ~15% of 1 MiB
//   blocks of a real tar here (its open issues #260, #267), where pako's and zlib's agree;
// - zstd: libzstd compiled to WebAssembly (@bokuweb/zstd-wasm), each block one frame.
// The same block in gives the same bytes out, on any machine, in any thread.
import { ZStream, Z_SYNC_FLUSH, zlibDeflate, zlibDeflateInit2, zlibDeflateReset } from "pako";
import { compress, init } from "@bokuweb/zstd-wasm";

// A deflate stream with every setting that shapes the output fixed (raw deflate, a 32 KiB window,
// zlib's default memory level and strategy, pako 3's non-legacy hash), kept for the thread's
// life and reset before each block: deflateReset starts it afresh, as a new one would (no
// dictionary carried over), without allocating its tables again for every block, which the
// thread's garbage collector would free late.
/** @type {Map<number, ZStream>} */
const streams = new Map();

/** @param {number} level */
const streamAt = (level) => {
  let strm = streams.get(level);
  if (strm === undefined) {
    strm = new ZStream();
    if (zlibDeflateInit2(strm, level, 8, -15, 8, 0, false) !== 0) throw new Error(`deflate init failed: ${strm.msg}`);
    streams.set(level, strm);
  } else if (zlibDeflateReset(strm) !== 0) throw new Error(`deflate reset failed: ${strm.msg}`);
  return strm;
};

// Output room, grown when a block needs more; a block's bytes are copied out of it.
let room = new Uint8Array(0);

/**
 * `bytes` through a fresh deflate stream at `level` with a sync flush; the compressed length is
 * returned and the bytes are the start of `room` (valid until the next call).
 * @param {Uint8Array} bytes
 * @param {number} level
 * @returns {number}
 */
const deflateInto = (bytes, level) => {
  const strm = streamAt(level);
  // Deflate's worst case grows data by 5 bytes per 16 KiB stored block; the sync flush adds 5.
  const bound = bytes.length + 5 * Math.ceil(bytes.length / 16384) + 64;
  if (room.length < bound) room = new Uint8Array(bound);
  strm.input = bytes;
  strm.next_in = 0;
  strm.avail_in = bytes.length;
  strm.output = room;
  strm.next_out = 0;
  strm.avail_out = room.length;
  const status = zlibDeflate(strm, Z_SYNC_FLUSH);
  if (status !== 0 || strm.avail_in !== 0 || strm.avail_out === 0) throw new Error(`deflate failed (${status}): ${strm.msg}`);
  return strm.next_out;
};

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
    if (deflateInto(bytes.subarray(at, at + SAMPLE), 1) < SAMPLE * 0.98) return false;
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
 * A raw deflate stream of `bytes` at `level`, not final, ending on a byte boundary: a buffer of
 * its own, of exactly its length.
 * @param {Uint8Array} bytes
 * @param {number} level
 * @returns {Uint8Array}
 */
export const deflateBlock = (bytes, level) => {
  if (incompressible(bytes)) return storedBlocks(bytes);
  const length = deflateInto(bytes, level); // may replace `room`: read it after
  return room.slice(0, length);
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
