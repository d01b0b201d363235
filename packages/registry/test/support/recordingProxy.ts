import * as http from "node:http";
import { Transform } from "node:stream";
import type { TransformCallback } from "node:stream";

/** One request that went through the proxy, with the registry's status (0: it never answered). */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  status: number;
}

export interface ProxyOptions {
  /** Request bodies pass at about this many bytes per second (a slow uplink). */
  readonly throttleBytesPerSecond?: number;
  /** Responses to requests this says yes to get one byte flipped (a corrupting middlebox). */
  readonly tamper?: (method: string, url: string) => boolean;
}

export interface RecordingProxy {
  /** `127.0.0.1:PORT`, the address clients use instead of the registry's. */
  readonly host: string;
  readonly requests: () => readonly Recorded[];
  readonly reset: () => void;
  readonly close: () => Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Passes bytes on at a set rate, in slices of at most 64 KiB.
const throttle = (bytesPerSecond: number): Transform =>
  new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      void (async () => {
        for (let at = 0; at < chunk.length; at += 65536) {
          const slice = chunk.subarray(at, at + 65536);
          await sleep((slice.length / bytesPerSecond) * 1000);
          this.push(slice);
        }
        callback();
      })();
    },
  });

// Flips the bits of the body's first byte.
const flipFirstByte = (): Transform => {
  let flipped = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (!flipped && chunk.length > 0) {
        const copy = Buffer.from(chunk);
        copy[0] = (copy[0] ?? 0) ^ 0xff;
        flipped = true;
        callback(null, copy);
      } else callback(null, chunk);
    },
  });
};

/**
 * An HTTP proxy on 127.0.0.1 in front of a registry that records every request and the
 * registry's answer: the tests count uploads (POST/PATCH/PUT) from what the registry really
 * received, not from the client's own report. The Host header is passed unchanged, so the
 * registry's Location URLs point back at the proxy. When the registry is unreachable the client's
 * connection is dropped, as a crashed server's would be.
 */
export const startRecordingProxy = async (upstreamPort: number, options: ProxyOptions = {}): Promise<RecordingProxy> => {
  let records: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const record: Recorded = { method: req.method ?? "", url: req.url ?? "", status: 0 };
    records.push(record);
    const upstream = http.request({ host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent: false }, (answer) => {
      record.status = answer.statusCode ?? 0;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      const body = options.tamper?.(record.method, record.url) === true ? answer.pipe(flipFirstByte()) : answer;
      body.pipe(res);
      answer.on("error", () => res.destroy());
    });
    upstream.on("error", () => {
      req.socket.destroy();
    });
    req.on("error", () => upstream.destroy());
    const body = options.throttleBytesPerSecond === undefined ? req : req.pipe(throttle(options.throttleBytesPerSecond));
    body.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    requests: () => records,
    reset: () => {
      records = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Blob uploads the registry received: session starts (POST without mount), PATCHes and PUTs of blobs. */
export const blobUploads = (records: readonly Recorded[]): readonly Recorded[] =>
  records.filter((r) => r.url.includes("/blobs/uploads/") && (r.method === "PATCH" || r.method === "PUT" || (r.method === "POST" && !r.url.includes("mount="))));

/** Mount requests and the registry's answers. */
export const mounts = (records: readonly Recorded[]): readonly Recorded[] => records.filter((r) => r.method === "POST" && r.url.includes("mount="));
