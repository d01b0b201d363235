import * as http from "node:http";
import { defaultRetryPolicy } from "../../src/http/retryPolicy.ts";
import type { RetryPolicy } from "../../src/http/retryPolicy.ts";
import * as E from "fp-ts/lib/Either.js";
import { openRegistry } from "../../src/http/RegistryClient.ts";
import type { RegistryClient } from "../../src/http/RegistryClient.ts";

/** A request the fake registry saw, in order. */
export interface Seen {
  readonly method: string;
  readonly url: string;
}

export interface FakeRegistry {
  readonly host: string;
  readonly seen: () => readonly Seen[];
  readonly close: () => Promise<void>;
}

/**
 * A tiny HTTP server on 127.0.0.1 playing a registry for fault tests: `GET /v2/` answers 200 and
 * everything else goes to `handle`, which decides the answer (or drops the connection).
 */
export const startFakeRegistry = async (handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<FakeRegistry> => {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "" });
    if (req.method === "GET" && req.url === "/v2/") res.writeHead(200, { "content-type": "application/json" }).end("{}");
    else handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    seen: () => seen.filter((s) => s.url !== "/v2/"),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** A retry policy whose waits are recorded, not slept. */
export const recordingPolicy = (attempts = 5): { readonly policy: RetryPolicy; readonly waits: number[] } => {
  const waits: number[] = [];
  return { policy: { ...defaultRetryPolicy, attempts, sleep: async (ms) => void waits.push(ms) }, waits };
};

/** An anonymous client of the fake registry over plain HTTP. */
export const clientOf = async (fake: FakeRegistry, policy: RetryPolicy): Promise<RegistryClient> => {
  const client = await openRegistry({ registry: fake.host, tlsVerify: false, credentials: { _tag: "Anonymous", searched: [] }, policy })();
  if (E.isLeft(client)) throw new Error(JSON.stringify(client.left));
  return client.right;
};
