import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";

/**
 * The bytes `[start, end)` of a file as an upload body, read in 1 MiB pieces; `onBytes` hears the
 * running count as pieces pass on to the socket. A stream (not an async generator), which undici
 * writes to the socket with the least copying.
 */
export const fileChunks = (file: string, start: number, end: number, onBytes: (sent: number) => void): Readable => {
  let sent = 0;
  const counter = new Transform({
    transform(piece: Buffer, _encoding, callback) {
      sent += piece.length;
      onBytes(sent);
      callback(null, piece);
    },
  });
  if (end <= start) {
    counter.end();
    return counter;
  }
  const source = createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 });
  source.on("error", (e) => counter.destroy(e));
  counter.on("close", () => source.destroy());
  return source.pipe(counter);
};
