import { crc32 } from "node:zlib";

// The frame around the deflate blocks of a gzip layer (RFC 1952): one gzip member whose deflate
// stream is the blocks one after the other (each ends with a sync flush), closed by an empty
// final block, as pigz writes it. Every header byte is fixed: no file name, MTIME 0, XFL 0 and
// OS 255 ("unknown"), so nothing of the machine or the clock gets in.

/** ID1 ID2, CM=8 (deflate), FLG=0, MTIME=0, XFL=0, OS=255. */
export const GZIP_HEADER: Uint8Array = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff);

/** An empty final block with fixed Huffman codes (BFINAL=1, BTYPE=01, end-of-block): ends the deflate stream. */
export const DEFLATE_END: Uint8Array = Uint8Array.of(0x03, 0x00);

/** CRC-32 and ISIZE of the uncompressed data (ISIZE modulo 2^32), little-endian. */
export const gzipTrailer = (crc: number, size: number): Uint8Array => {
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc >>> 0, true);
  view.setUint32(4, size % 2 ** 32, true);
  return trailer;
};

/** The running CRC-32 of the uncompressed data (a checksum: any correct implementation agrees). */
export const crcAfter = (crc: number, bytes: Uint8Array): number => crc32(bytes, crc);
