import { createReadStream } from "node:fs";

/**
 * The bytes `[start, end)` of a file as an upload body, read in 1 MiB pieces; `onBytes` hears the
 * running count after each piece is handed to the socket.
 */
export async function* fileChunks(file: string, start: number, end: number, onBytes: (sent: number) => void): AsyncGenerator<Uint8Array> {
  if (end <= start) return;
  let sent = 0;
  for await (const piece of createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 })) {
    const bytes = piece as Buffer;
    yield bytes;
    sent += bytes.length;
    onBytes(sent);
  }
}
