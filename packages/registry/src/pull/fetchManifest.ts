import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { createHash } from "node:crypto";
import { digestAlgorithm } from "@ocistage/oci";
import type { Digest } from "@ocistage/oci";
import type { RegistryClient, RegistryRequest } from "../http/RegistryClient.ts";
import { pullScope } from "../http/RegistryClient.ts";
import { drain } from "../http/responseError.ts";
import type { HttpResponse } from "../http/Transport.ts";
import type { RegistryError } from "../RegistryError.ts";
import { reasonOf } from "../RegistryError.ts";
import type { ManifestLinks } from "./manifestDocument.ts";
import { documentMediaType, MANIFEST_ACCEPT, manifestLinks } from "./manifestDocument.ts";

/** A manifest or index as the registry served it: its exact bytes, their digest, what it links to. */
export interface FetchedDocument {
  readonly bytes: Uint8Array;
  readonly digest: Digest;
  readonly mediaType: string;
  readonly links: ManifestLinks;
}

// Registries cap manifests at 4 MiB; a larger answer is not a manifest, and is not read whole.
const MANIFEST_LIMIT = 4 * 1024 * 1024;

const readLimited = async (res: HttpResponse): Promise<Uint8Array | undefined> => {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > MANIFEST_LIMIT) return undefined;
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const part of res.body) {
    total += part.length;
    if (total > MANIFEST_LIMIT) return undefined;
    parts.push(part);
  }
  return Buffer.concat(parts);
};

/**
 * `GET /v2/NAME/manifests/REFERENCE`, asking for OCI and Docker schema 2 types. The bytes are
 * hashed: they must hash to `expected` when the caller knows the digest (a digest reference, an
 * index entry), else to the registry's `Docker-Content-Digest` when it sends one.
 */
export const fetchManifest = (client: RegistryClient, repository: string, reference: string, expected: Digest | undefined): TE.TaskEither<RegistryError, FetchedDocument> => async () => {
  const what = `manifest ${reference}`;
  const req: RegistryRequest = { method: "GET", url: `/v2/${repository}/manifests/${reference}`, repository, what, scopes: [pullScope(repository)], headers: { accept: MANIFEST_ACCEPT }, retry: true };
  const target = { registry: client.registry, repository };
  const res = await client.send(req)();
  if (E.isLeft(res)) return res;
  if (res.right.status !== 200) return E.left(await client.unexpected(req, res.right)());
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readLimited(res.right);
  } catch (e) {
    return E.left({ _tag: "GaveUp", ...target, what, attempts: 1, last: reasonOf(e) });
  }
  if (bytes === undefined) {
    await drain(res.right);
    return E.left({ _tag: "Unsupported", ...target, what, detail: `larger than ${MANIFEST_LIMIT} bytes, which no registry serves as a manifest` });
  }
  const header = res.right.headers.get("docker-content-digest");
  const wanted = expected ?? (header !== null && /^sha(256|512):[0-9a-f]+$/.test(header) ? (header as Digest) : undefined);
  const algorithm = wanted === undefined ? "sha256" : digestAlgorithm(wanted);
  const digest = `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}` as Digest;
  if (wanted !== undefined && digest !== wanted) return E.left({ _tag: "DigestMismatch", ...target, what, expected: wanted, actual: digest });
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return E.left({ _tag: "Unsupported", ...target, what, detail: "the answer is not JSON" });
  }
  const mediaType = documentMediaType(json, res.right.headers.get("content-type"));
  const links = manifestLinks(mediaType, json);
  if (E.isLeft(links)) return E.left({ _tag: "Unsupported", ...target, what, detail: links.left });
  return E.right({ bytes, digest, mediaType, links: links.right });
};
