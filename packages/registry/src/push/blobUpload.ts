import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { Descriptor } from "@ocistage/oci";
import type { RegistryClient, RegistryRequest } from "../http/RegistryClient.ts";
import { pullScope, pushScope } from "../http/RegistryClient.ts";
import { drain } from "../http/responseError.ts";
import type { Attempt } from "../http/retrying.ts";
import { done, fail, retry, retrying } from "../http/retrying.ts";
import type { TransferProgress } from "../progress.ts";
import type { RegistryError } from "../RegistryError.ts";
import { fileChunks } from "./fileChunks.ts";

/** How a blob came to be in the repository. */
export type BlobResult = "uploaded" | "exists" | "mounted";

export interface BlobOutcome {
  readonly digest: string;
  readonly size: number;
  readonly result: BlobResult;
  /** Bytes of the blob sent, over every try (more than `size` when an upload was restarted). */
  readonly bytesSent: number;
  readonly mountedFrom?: string;
}

/** A blob of a layout to push: its descriptor and its file. */
export interface BlobSource {
  readonly descriptor: Descriptor;
  readonly file: string;
}

export interface UploadOptions {
  /** Blobs up to this many bytes go in one PUT; larger ones in PATCH chunks of this size. */
  readonly chunkSize: number;
  /** Other repositories of the registry that may hold the blob, tried for a mount in order. */
  readonly mountFrom: readonly string[];
  readonly progress: TransferProgress;
  /** The caller's HEAD already said the repository lacks the blob: do not ask again. */
  readonly knownMissing?: boolean;
}

const OCTETS = "application/octet-stream";

const withDigest = (client: RegistryClient, location: string, digest: string): string => {
  const url = new URL(client.resolve(location));
  url.searchParams.set("digest", digest);
  return url.toString();
};

type Step<A> = Promise<E.Either<RegistryError, A>>;

/** `HEAD /v2/NAME/blobs/DIGEST`: true when the repository has it. */
export const blobExists = async (client: RegistryClient, repository: string, digest: string): Step<boolean> => {
  const req: RegistryRequest = { method: "HEAD", url: `/v2/${repository}/blobs/${digest}`, repository, what: `blob ${digest}`, scopes: [pushScope(repository)], retry: true };
  const res = await client.send(req)();
  if (E.isLeft(res)) return res;
  await drain(res.right);
  if (res.right.status === 200) return E.right(true);
  if (res.right.status === 404) return E.right(false);
  return E.left(await client.unexpected(req, res.right)());
};

type Mount = { readonly _tag: "Mounted"; readonly from: string } | { readonly _tag: "Session"; readonly location: string } | { readonly _tag: "NoMount" };

/**
 * `POST …/blobs/uploads/?mount=DIGEST&from=REPO`: 201 is a mount; 202 is an upload session the
 * registry opened instead (it does not have the blob there, or will not lend it). A token server
 * that refuses pull access to `from` (401/403) just means no mount.
 */
const tryMount = async (client: RegistryClient, repository: string, digest: string, from: string): Step<Mount> => {
  const query = new URLSearchParams({ mount: digest, from });
  const req: RegistryRequest = { method: "POST", url: `/v2/${repository}/blobs/uploads/?${query.toString()}`, repository, what: `a mount of blob ${digest} from ${from}`, scopes: [pushScope(repository), pullScope(from)], headers: { "content-length": "0" }, retry: true };
  const res = await client.send(req)();
  if (E.isLeft(res)) return res.left._tag === "Unauthorized" ? E.right({ _tag: "NoMount" }) : res;
  await drain(res.right);
  const location = res.right.headers.get("location");
  if (res.right.status === 201) return E.right({ _tag: "Mounted", from });
  if (res.right.status === 202 && location !== null) return E.right({ _tag: "Session", location });
  return E.right({ _tag: "NoMount" });
};

const startSession = async (client: RegistryClient, repository: string, digest: string): Step<string> => {
  const req: RegistryRequest = { method: "POST", url: `/v2/${repository}/blobs/uploads/`, repository, what: `an upload of blob ${digest}`, scopes: [pushScope(repository)], headers: { "content-length": "0" }, retry: true };
  const res = await client.send(req)();
  if (E.isLeft(res)) return res;
  const location = res.right.headers.get("location");
  if (res.right.status === 202 && location !== null) {
    await drain(res.right);
    return E.right(location);
  }
  return E.left(await client.unexpected(req, res.right)());
};

/**
 * One try at sending the bytes into an upload session: one PUT with the whole blob, or PATCHes
 * of `chunkSize` bytes (`Content-Range: start-end`, inclusive) and a closing PUT. Every PUT
 * carries `?digest=`, and the registry checks the bytes against it.
 */
const sendBytes = async (client: RegistryClient, repository: string, blob: BlobSource, session: string, options: UploadOptions, sent: (n: number) => void): Step<void> => {
  const { digest, size } = blob.descriptor;
  const what = `the upload of blob ${digest}`;
  const scopes = [pushScope(repository)];
  let location = session;
  let offset = 0;
  const put = async (body: boolean): Step<void> => {
    const req: RegistryRequest = {
      method: "PUT",
      url: withDigest(client, location, digest),
      repository,
      what,
      scopes,
      headers: { "content-type": OCTETS, "content-length": String(body ? size : 0) },
      ...(body ? { body: () => fileChunks(blob.file, 0, size, sent) } : {}),
      retry: false,
    };
    const res = await client.send(req)();
    if (E.isLeft(res)) return res;
    if (res.right.status === 201) {
      await drain(res.right);
      return E.right(undefined);
    }
    return E.left(await client.unexpected(req, res.right)());
  };
  if (size <= options.chunkSize) return put(true);
  while (offset < size) {
    const end = Math.min(size, offset + options.chunkSize);
    const from = offset;
    const req: RegistryRequest = {
      method: "PATCH",
      url: client.resolve(location),
      repository,
      what,
      scopes,
      headers: { "content-type": OCTETS, "content-length": String(end - from), "content-range": `${from}-${end - 1}` },
      body: () => fileChunks(blob.file, from, end, (n) => sent(from + n)),
      retry: false,
    };
    const res = await client.send(req)();
    if (E.isLeft(res)) return res;
    const next = res.right.headers.get("location");
    if (res.right.status !== 202 || next === null) return E.left(await client.unexpected(req, res.right)());
    await drain(res.right);
    location = next;
    offset = end;
  }
  return put(false);
};

/**
 * Makes sure a repository holds a blob: `HEAD` first (there already: nothing sent), then a
 * cross-repository mount from each candidate repository, then an upload. An upload whose
 * connection drops, or that the registry fails with 429/5xx, is restarted from a new session,
 * as often as the retry policy allows; the bytes of every try count in `bytesSent`.
 */
export const ensureBlob = (client: RegistryClient, repository: string, blob: BlobSource, options: UploadOptions): TE.TaskEither<RegistryError, BlobOutcome> => async () => {
  const { digest, size } = blob.descriptor;
  const found = options.knownMissing === true ? E.right(false) : await blobExists(client, repository, digest);
  if (E.isLeft(found)) return found;
  if (found.right) return E.right({ digest, size, result: "exists", bytesSent: 0 });
  let session: string | undefined;
  for (const from of options.mountFrom.filter((r) => r !== repository).slice(0, 2)) {
    const mount = await tryMount(client, repository, digest, from);
    if (E.isLeft(mount)) return mount;
    if (mount.right._tag === "Mounted") return E.right({ digest, size, result: "mounted", bytesSent: 0, mountedFrom: from });
    if (mount.right._tag === "Session") {
      session = mount.right.location;
      break;
    }
  }
  let bytesSent = 0;
  const uploaded = await retrying(client.policy, { registry: client.registry, repository }, `the upload of blob ${digest}`, async (): Promise<Attempt<void>> => {
    const opened = session !== undefined ? E.right(session) : await startSession(client, repository, digest);
    session = undefined; // a restarted try opens a session of its own
    if (E.isLeft(opened)) return fail(opened.left);
    let thisTry = 0;
    const result = await sendBytes(client, repository, blob, opened.right, options, (n) => {
      thisTry = n;
      options.progress.blobBytes(digest, n);
    });
    bytesSent += thisTry;
    if (E.isRight(result)) return done(undefined);
    return result.left._tag === "GaveUp" ? retry(result.left.last, result.left.retryAfterMs) : fail(result.left);
  })();
  if (E.isLeft(uploaded)) return uploaded;
  return E.right({ digest, size, result: "uploaded", bytesSent });
};
