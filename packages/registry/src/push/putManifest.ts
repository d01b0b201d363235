import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import type { Descriptor } from "@ocistage/oci";
import type { RegistryClient, RegistryRequest } from "../http/RegistryClient.ts";
import { pushScope } from "../http/RegistryClient.ts";
import { drain } from "../http/responseError.ts";
import type { RegistryError } from "../RegistryError.ts";
import { reasonOf } from "../RegistryError.ts";

/** A manifest or index of a layout to push: its descriptor and the file holding its exact bytes. */
export interface DocumentSource {
  readonly descriptor: Descriptor;
  readonly file: string;
}

/** `uploaded`: PUT now; `exists`: the reference already named these exact bytes. */
export type ManifestResult = "uploaded" | "exists";

/**
 * Puts a manifest (or index) under `reference`, a tag or its digest, sending the layout's bytes
 * unchanged so its digest is kept. A `HEAD` first: when the reference already names this digest
 * nothing is sent. The registry's `Docker-Content-Digest` must be the layout's digest.
 */
export const putManifest = (client: RegistryClient, repository: string, doc: DocumentSource, reference: string): TE.TaskEither<RegistryError, ManifestResult> => async () => {
  const { digest, mediaType } = doc.descriptor;
  const what = reference === digest ? `manifest ${digest}` : `manifest ${reference} (${digest})`;
  const url = `/v2/${repository}/manifests/${reference}`;
  const scopes = [pushScope(repository)];
  const head: RegistryRequest = { method: "HEAD", url, repository, what, scopes, headers: { accept: mediaType }, retry: true };
  const seen = await client.send(head)();
  if (E.isLeft(seen)) return seen;
  await drain(seen.right);
  if (seen.right.status === 200 && seen.right.headers.get("docker-content-digest") === digest) return E.right("exists");
  if (seen.right.status !== 200 && seen.right.status !== 404) return E.left(await client.unexpected(head, seen.right)());
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(doc.file);
  } catch (e) {
    return E.left({ _tag: "LocalIo", path: doc.file, operation: "read", reason: reasonOf(e) });
  }
  const put: RegistryRequest = { method: "PUT", url, repository, what, scopes, headers: { "content-type": mediaType }, body: () => bytes, retry: true };
  const res = await client.send(put)();
  if (E.isLeft(res)) return res;
  if (res.right.status !== 201) return E.left(await client.unexpected(put, res.right)());
  await drain(res.right);
  const stored = res.right.headers.get("docker-content-digest");
  if (stored !== null && stored !== digest)
    return E.left({ _tag: "Refused", registry: client.registry, repository, what, status: 201, detail: `the registry stored it as ${stored}, not ${digest}` });
  return E.right("uploaded");
};
