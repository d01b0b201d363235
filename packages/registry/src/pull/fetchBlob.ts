import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { digestAlgorithm } from "@ocistage/oci";
import type { Descriptor } from "@ocistage/oci";
import type { RegistryClient, RegistryRequest } from "../http/RegistryClient.ts";
import { pullScope } from "../http/RegistryClient.ts";
import type { Attempt } from "../http/retrying.ts";
import { done, fail, retry, retrying } from "../http/retrying.ts";
import type { TransferProgress } from "../progress.ts";
import type { RegistryError } from "../RegistryError.ts";
import { reasonOf } from "../RegistryError.ts";
import type { BlobSink } from "./blobSink.ts";
import { hasBlob, sinkPath } from "./blobSink.ts";

export type FetchResult = "fetched" | "present";

type Streamed = { readonly _tag: "Whole" } | { readonly _tag: "Wrong"; readonly actual: string } | { readonly _tag: "Dropped"; readonly reason: string };

// Streams a body into `file`, hashing as it goes; never holds more than one piece in memory.
const streamInto = async (body: AsyncIterable<Uint8Array>, file: string, d: Descriptor, onBytes: (n: number) => void): Promise<Streamed> => {
  const hash = createHash(digestAlgorithm(d.digest));
  const handle = await fs.open(file, "w");
  let size = 0;
  try {
    for await (const piece of body) {
      size += piece.length;
      if (size > d.size) return { _tag: "Wrong", actual: `more than the ${d.size} bytes its descriptor says` };
      hash.update(piece);
      await handle.write(piece);
      onBytes(size);
    }
  } catch (e) {
    return { _tag: "Dropped", reason: reasonOf(e) };
  } finally {
    await handle.close();
  }
  const actual = `${digestAlgorithm(d.digest)}:${hash.digest("hex")}`;
  if (size !== d.size) return { _tag: "Wrong", actual: `${size} bytes, not ${d.size}` };
  return actual === d.digest ? { _tag: "Whole" } : { _tag: "Wrong", actual };
};

/**
 * Fetches one blob into the sink: `GET /v2/NAME/blobs/DIGEST` (following the registry's
 * redirects, without its credentials to other hosts), streamed into a temporary file while it is
 * hashed, renamed to its digest only when size and digest match. Bytes that do not match are
 * removed and the pull fails naming the digest; a dropped connection starts the blob again, as
 * the retry policy allows. A blob the folder has (right size) is not fetched.
 */
export const fetchBlob = (client: RegistryClient, repository: string, d: Descriptor, sink: BlobSink, progress: TransferProgress): TE.TaskEither<RegistryError, FetchResult> => async () => {
  if (await hasBlob(sink, d.digest, d.size)) return E.right("present");
  const what = `blob ${d.digest}`;
  const target = sinkPath(sink, d.digest);
  const req: RegistryRequest = { method: "GET", url: `/v2/${repository}/blobs/${d.digest}`, repository, what, scopes: [pullScope(repository)], headers: { "accept-encoding": "identity" }, retry: true };
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
  } catch (e) {
    return E.left({ _tag: "LocalIo", path: path.dirname(target), operation: "create", reason: reasonOf(e) });
  }
  const fetched = await retrying(client.policy, { registry: client.registry, repository }, what, async (): Promise<Attempt<void>> => {
    const res = await client.send(req)();
    if (E.isLeft(res)) return fail(res.left);
    if (res.right.status !== 200) return fail(await client.unexpected(req, res.right)());
    const temporary = sink.temporary("blob");
    let streamed: Streamed;
    try {
      streamed = await streamInto(res.right.body, temporary, d, (n) => progress.blobBytes(d.digest, n));
      if (streamed._tag === "Whole") await fs.rename(temporary, target);
    } catch (e) {
      await fs.rm(temporary, { force: true });
      return fail({ _tag: "LocalIo", path: temporary, operation: "write", reason: reasonOf(e) });
    }
    if (streamed._tag === "Whole") return done(undefined);
    await fs.rm(temporary, { force: true });
    await res.right.discard();
    return streamed._tag === "Dropped" ? retry(streamed.reason) : fail({ _tag: "DigestMismatch", registry: client.registry, repository, what, expected: d.digest, actual: streamed.actual });
  })();
  return E.map((): FetchResult => "fetched")(fetched);
};
