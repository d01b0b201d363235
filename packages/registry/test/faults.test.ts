// How the client meets a failing registry (a small local HTTP server playing one): 429 and 5xx
// are retried with bounded backoff that honours Retry-After, a connection dropped mid-upload
// restarts that blob's upload, and 404/413 become errors that say so. Waits are recorded by an
// injected sleep, never timed.
import * as E from "fp-ts/lib/Either.js";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Digest } from "@ocistage/oci";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import type { RegistryClient } from "../src/http/RegistryClient.ts";
import { parseRetryAfter } from "../src/http/retryPolicy.ts";
import { silentProgress } from "../src/progress.ts";
import { fetchManifest } from "../src/pull/fetchManifest.ts";
import { ensureBlob } from "../src/push/blobUpload.ts";
import { formatRegistryError } from "../src/RegistryError.ts";
import type { FakeRegistry } from "./support/fakeRegistry.ts";
import { clientOf, recordingPolicy, startFakeRegistry } from "./support/fakeRegistry.ts";

let work: string | undefined;
let fake: FakeRegistry | undefined;
let client: RegistryClient | undefined;
beforeAll(async () => {
  work = await makeTempDir("faults");
});
afterEach(async () => {
  await client?.close();
  await fake?.close();
});
afterAll(() => removeTempDir(work));

const get = (c: RegistryClient) => c.send({ method: "GET", url: "/v2/app/tags/list", repository: "app", what: "the tag list", scopes: [], retry: true })();

describe("Retry-After", () => {
  test("delay-seconds and HTTP dates are read; anything else is not", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test("a 429 with Retry-After: 2 is tried again after 2 s, and the 201 that follows is the answer", async () => {
    let calls = 0;
    fake = await startFakeRegistry((_req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(429, { "retry-after": "2" }).end();
      else res.writeHead(201).end();
    });
    const { policy, waits } = recordingPolicy();
    client = await clientOf(fake, policy);
    const res = await get(client);
    expect(E.isRight(res) && res.right.status).toBe(201);
    expect(waits).toEqual([2000]);
    expect(fake.seen().length).toBe(2);
  });

  test("5xx without Retry-After backs off 0.5, 1, 2, 4 s and gives up after five tries, saying so", async () => {
    fake = await startFakeRegistry((_req, res) => res.writeHead(503).end());
    const { policy, waits } = recordingPolicy();
    client = await clientOf(fake, policy);
    const res = await get(client);
    expect(waits).toEqual([500, 1000, 2000, 4000]);
    expect(E.isLeft(res) && formatRegistryError(res.left)).toEqual([`${fake.host}/app: gave up on the tag list after 5 attempts: HTTP 503`]);
  });

  test("a Retry-After beyond a minute is given up on at once", async () => {
    fake = await startFakeRegistry((_req, res) => res.writeHead(429, { "retry-after": "3600" }).end());
    const { policy, waits } = recordingPolicy();
    client = await clientOf(fake, policy);
    const res = await get(client);
    expect(waits).toEqual([]);
    expect(E.isLeft(res) && formatRegistryError(res.left)[0]).toBe(`${fake.host}/app: gave up on the tag list after 1 attempt: HTTP 429, and it asked to wait 3600 s, more than 60 s`);
  });
});

describe("uploads", () => {
  const blobFile = async (bytes: Buffer): Promise<{ file: string; digest: Digest }> => {
    const file = path.join(work ?? "", `blob-${bytes.length}`);
    await fs.writeFile(file, bytes);
    return { file, digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}` as Digest };
  };

  test("a connection dropped in the middle of a PUT restarts that blob's upload in a new session", async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 9);
    const { file, digest } = await blobFile(bytes);
    let sessions = 0;
    let puts = 0;
    fake = await startFakeRegistry((req, res) => {
      if (req.method === "HEAD") res.writeHead(404).end();
      else if (req.method === "POST") res.writeHead(202, { location: `/v2/app/blobs/uploads/${++sessions}` }).end();
      else if (req.method === "PUT" && ++puts === 1) req.once("data", () => req.socket.destroy());
      else if (req.method === "PUT") {
        const hash = createHash("sha256");
        req.on("data", (c: Buffer) => hash.update(c));
        req.on("end", () => res.writeHead(new URL(req.url ?? "", "http://x").searchParams.get("digest") === `sha256:${hash.digest("hex")}` ? 201 : 400).end());
      } else res.writeHead(500).end();
    });
    const { policy, waits } = recordingPolicy();
    client = await clientOf(fake, policy);
    const outcome = await ensureBlob(client, "app", { descriptor: { mediaType: "application/octet-stream", digest, size: bytes.length }, file }, { chunkSize: 8 << 20, mountFrom: [], progress: silentProgress })();
    expect(E.isRight(outcome) && outcome.right.result).toBe("uploaded");
    expect(fake.seen().map((s) => s.method)).toEqual(["HEAD", "POST", "PUT", "POST", "PUT"]);
    expect(waits).toEqual([500]);
    expect(E.isRight(outcome) && outcome.right.bytesSent).toBeGreaterThanOrEqual(bytes.length);
  });

  test("a blob larger than the chunk size goes in PATCHes with Content-Range, then a PUT with the digest", async () => {
    const bytes = Buffer.alloc(200 * 1024, 3);
    const { file, digest } = await blobFile(bytes);
    const ranges: string[] = [];
    fake = await startFakeRegistry((req, res) => {
      if (req.method === "HEAD") res.writeHead(404).end();
      else if (req.method === "POST") res.writeHead(202, { location: "/v2/app/blobs/uploads/u?_state=s" }).end();
      else if (req.method === "PATCH") {
        ranges.push(String(req.headers["content-range"]));
        req.resume();
        req.on("end", () => res.writeHead(202, { location: "/v2/app/blobs/uploads/u?_state=t" }).end());
      } else if (req.method === "PUT") res.writeHead(201).end();
      else res.writeHead(500).end();
    });
    client = await clientOf(fake, recordingPolicy().policy);
    const outcome = await ensureBlob(client, "app", { descriptor: { mediaType: "application/octet-stream", digest, size: bytes.length }, file }, { chunkSize: 64 * 1024, mountFrom: [], progress: silentProgress })();
    expect(E.isRight(outcome)).toBe(true);
    expect(ranges).toEqual(["0-65535", "65536-131071", "131072-196607", "196608-204799"]);
    expect(fake.seen().at(-1)).toEqual({ method: "PUT", url: `/v2/app/blobs/uploads/u?_state=t&digest=${encodeURIComponent(digest)}` });
  });

  test("413 says the registry refuses the blob as too large, with its own words", async () => {
    const { file, digest } = await blobFile(Buffer.from("x"));
    fake = await startFakeRegistry((req, res) => {
      if (req.method === "HEAD") res.writeHead(404).end();
      else if (req.method === "POST") res.writeHead(202, { location: "/v2/app/blobs/uploads/1" }).end();
      else res.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "SIZE_INVALID", message: "blob too large" }] }));
    });
    client = await clientOf(fake, recordingPolicy().policy);
    const outcome = await ensureBlob(client, "app", { descriptor: { mediaType: "application/octet-stream", digest, size: 1 }, file }, { chunkSize: 8 << 20, mountFrom: [], progress: silentProgress })();
    expect(E.isLeft(outcome) && formatRegistryError(outcome.left)).toEqual([`${fake.host}/app: the registry refuses the upload of blob ${digest} as too large (413) (registry said: SIZE_INVALID: blob too large)`]);
  });
});

test("a manifest that is not there is a 404 naming it", async () => {
  fake = await startFakeRegistry((_req, res) => res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] })));
  client = await clientOf(fake, recordingPolicy().policy);
  const result = await fetchManifest(client, "app", "nope", undefined)();
  expect(E.isLeft(result) && formatRegistryError(result.left)).toEqual([`${fake.host}/app: manifest nope not found (404) (registry said: MANIFEST_UNKNOWN: manifest unknown)`]);
});
