import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { Annotation, descriptor } from "@ocistage/oci";
import type { Descriptor, Digest } from "@ocistage/oci";
import type { RegistryClient } from "../http/RegistryClient.ts";
import { mapLimited } from "../mapLimited.ts";
import type { TransferProgress } from "../progress.ts";
import type { Reference } from "../Reference.ts";
import { formatReference, manifestReference } from "../Reference.ts";
import type { RegistryError } from "../RegistryError.ts";
import { reasonOf } from "../RegistryError.ts";
import type { BlobSink } from "./blobSink.ts";
import { putVerifiedBytes } from "./blobSink.ts";
import { configPlatform } from "./configPlatform.ts";
import type { FetchResult } from "./fetchBlob.ts";
import { fetchBlob } from "./fetchBlob.ts";
import type { FetchedDocument } from "./fetchManifest.ts";
import { fetchManifest } from "./fetchManifest.ts";
import type { PlatformWanted } from "./platformSelect.ts";
import { selectPlatform } from "./platformSelect.ts";

export interface PullOptions {
  /** One image of an index; without it, every image of the index. */
  readonly platform?: PlatformWanted | undefined;
  readonly concurrency: number;
  readonly progress: TransferProgress;
  /** Hears every blob the repository was seen to hold (for later mounts). */
  readonly noteBlob?: (digest: string) => void;
}

/** What a pull wrote: the `index.json` entry for it, and every blob (documents included) it needs. */
export interface PulledImage {
  readonly reference: string;
  readonly entry: Descriptor;
  readonly blobs: readonly { readonly digest: Digest; readonly size: number; readonly mediaType: string; readonly result: FetchResult }[];
  readonly documents: readonly Digest[];
}

type Step<A> = Promise<E.Either<RegistryError, A>>;

/** Fetches a document and, for an index, every child below it (depth first); the list is documents in fetch order. */
const fetchTree = async (client: RegistryClient, repository: string, reference: string, expected: Digest | undefined): Step<readonly FetchedDocument[]> => {
  const doc = await fetchManifest(client, repository, reference, expected)();
  if (E.isLeft(doc)) return doc;
  if (doc.right.links._tag === "Manifest") return E.right([doc.right]);
  const all: FetchedDocument[] = [doc.right];
  for (const child of doc.right.links.children) {
    const below = await fetchTree(client, repository, child.digest, child.digest);
    if (E.isLeft(below)) return below;
    all.push(...below.right);
  }
  return E.right(all);
};

/**
 * Pulls `ref` into the sink: the manifest (or, without `platform`, the index and every image
 * under it; with `platform`, that image alone), then every config and layer, `concurrency` at
 * once, each verified against its digest as it streams to disk. Returns the `index.json` entry,
 * named after the reference's tag; writing `index.json` is the caller's last step.
 */
export const pullImage = (client: RegistryClient, ref: Reference, sink: BlobSink, options: PullOptions): TE.TaskEither<RegistryError, PulledImage> => async () => {
  const { repository } = ref;
  const top = await fetchManifest(client, repository, manifestReference(ref), ref.digest)();
  if (E.isLeft(top)) return top;
  let entry: Descriptor = descriptor({ mediaType: top.right.mediaType, digest: top.right.digest, size: top.right.bytes.length });
  let documents: readonly FetchedDocument[] = [top.right];
  if (top.right.links._tag === "Index") {
    if (options.platform !== undefined) {
      const child = selectPlatform(top.right.links.children, options.platform);
      if (E.isLeft(child)) return E.left({ _tag: "Unsupported", registry: client.registry, repository, what: formatReference(ref), detail: child.left });
      const tree = await fetchTree(client, repository, child.right.digest, child.right.digest);
      if (E.isLeft(tree)) return tree;
      documents = tree.right;
      entry = descriptor({ mediaType: child.right.mediaType, digest: child.right.digest, size: child.right.size, platform: child.right.platform });
    } else {
      const below = await Promise.all(top.right.links.children.map((c) => fetchTree(client, repository, c.digest, c.digest)));
      for (const b of below) {
        if (E.isLeft(b)) return b;
        documents = [...documents, ...b.right];
      }
    }
  }
  const blobs = new Map<string, Descriptor>();
  for (const doc of documents) if (doc.links._tag === "Manifest") for (const d of [doc.links.config, ...doc.links.layers]) blobs.set(d.digest, d);
  const list = [...blobs.values()];
  options.progress.begin(list.reduce((s, d) => s + d.size, 0), list.length);
  const fetched = await mapLimited(list, options.concurrency, async (d) => {
    const r = await fetchBlob(client, repository, d, sink, options.progress)();
    if (E.isRight(r)) {
      options.progress.blobDone(d.digest, d.size);
      options.noteBlob?.(d.digest);
    }
    return r;
  });
  options.progress.end();
  if (E.isLeft(fetched)) return fetched;
  for (const doc of documents) {
    try {
      await putVerifiedBytes(sink, doc.digest, doc.bytes);
    } catch (e) {
      return E.left({ _tag: "LocalIo", path: sink.dir, operation: "write a manifest into", reason: reasonOf(e) });
    }
  }
  // An image pulled by its manifest gets the platform its config names, as a built image's entry has.
  if (top.right.links._tag === "Manifest" && entry.platform === undefined) {
    const found = await configPlatform(sink, top.right.links.config);
    if (found !== undefined) entry = descriptor({ mediaType: entry.mediaType, digest: entry.digest, size: entry.size, platform: found });
  }
  // A reference without tag or digest means `latest`, and the entry is named so.
  const tag = ref.tag ?? (ref.digest === undefined ? "latest" : undefined);
  const named = tag === undefined ? entry : { ...entry, annotations: { [Annotation.refName]: tag } };
  return E.right({
    reference: formatReference(ref),
    entry: named,
    blobs: list.map((d, i) => ({ digest: d.digest, size: d.size, mediaType: d.mediaType, result: fetched.right[i] ?? "fetched" })),
    documents: documents.map((d) => d.digest),
  });
};
