import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { Layout } from "@ocistage/layout";
import type { RegistryClient } from "../http/RegistryClient.ts";
import { mapLimited } from "../mapLimited.ts";
import type { TransferProgress } from "../progress.ts";
import { formatReference } from "../Reference.ts";
import type { RegistryError } from "../RegistryError.ts";
import type { BlobRecord } from "./blobRecord.ts";
import type { BlobOutcome } from "./blobUpload.ts";
import { blobExists, ensureBlob } from "./blobUpload.ts";
import { planPush } from "./pushPlan.ts";
import type { PushPlan } from "./pushPlan.ts";
import type { ManifestResult } from "./putManifest.ts";
import { putManifest } from "./putManifest.ts";
import type { PushTarget } from "./selectImages.ts";

const HEADS_AT_ONCE = 16;

export interface PushOptions {
  /** Blobs up to this size are sent in one PUT, larger ones in PATCH chunks of this size. */
  readonly chunkSize: number;
  /** Blobs sent at once. */
  readonly concurrency: number;
  /** A repository of the same registry to mount missing blobs from (`--from-repo`), before the record's. */
  readonly fromRepo?: string | undefined;
  readonly record: BlobRecord;
  readonly progress: TransferProgress;
}

/** What one pushed image became: every blob's outcome, every manifest's, and the tag. */
export interface PushedImage {
  readonly reference: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly blobs: readonly BlobOutcome[];
  readonly manifests: readonly { readonly digest: string; readonly mediaType: string; readonly result: ManifestResult }[];
}

const planOrFail = (layout: Layout, target: PushTarget, registry: string): E.Either<RegistryError, PushPlan> =>
  E.mapLeft((detail: string): RegistryError => ({ _tag: "Unsupported", registry, repository: target.reference.repository, what: formatReference(target.reference), detail }))(planPush(layout.dir, target.entry));

/**
 * Pushes one layout entry: every blob (HEAD, mount or upload, `concurrency` at once), then the
 * child manifests by digest, then the entry under its tag (or its digest alone). The tag is
 * written last, so it never names a manifest whose blobs or children the registry lacks.
 */
export const pushTarget = (client: RegistryClient, layout: Layout, target: PushTarget, options: PushOptions): TE.TaskEither<RegistryError, PushedImage> => async () => {
  const { repository } = target.reference;
  const plan = planOrFail(layout, target, client.registry);
  if (E.isLeft(plan)) return plan;
  const { blobs, children, top } = plan.right;
  options.progress.begin(
    blobs.reduce((sum, b) => sum + b.descriptor.size, 0),
    blobs.length,
  );
  const mountFrom = (digest: string): readonly string[] => [
    ...(options.fromRepo === undefined ? [] : [options.fromRepo]),
    ...options.record.reposOf(client.registry, digest),
  ];
  // Every blob is asked for first, many at once (HEADs are cheap; a no-op push is only these),
  // then the missing ones are mounted or uploaded, `concurrency` at a time.
  const present = await mapLimited(blobs, HEADS_AT_ONCE, (blob) => blobExists(client, repository, blob.descriptor.digest));
  if (E.isLeft(present)) {
    options.progress.end();
    return present;
  }
  const pushed = await mapLimited(blobs, options.concurrency, async (blob, i) => {
    const outcome: E.Either<RegistryError, BlobOutcome> = present.right[i]
      ? E.right({ digest: blob.descriptor.digest, size: blob.descriptor.size, result: "exists", bytesSent: 0 })
      : await ensureBlob(client, repository, blob, { chunkSize: options.chunkSize, mountFrom: mountFrom(blob.descriptor.digest), progress: options.progress, knownMissing: true })();
    if (E.isRight(outcome)) {
      options.record.note(client.registry, blob.descriptor.digest, repository);
      options.progress.blobDone(blob.descriptor.digest, blob.descriptor.size);
    }
    return outcome;
  });
  options.progress.end();
  if (E.isLeft(pushed)) return pushed;
  const manifests: { digest: string; mediaType: string; result: ManifestResult }[] = [];
  // Children in plan order (manifests before the indexes holding them), one at a time.
  for (const doc of [...children, top]) {
    const reference = doc === top ? (target.reference.tag ?? doc.descriptor.digest) : doc.descriptor.digest;
    const result = await putManifest(client, repository, doc, reference)();
    if (E.isLeft(result)) return result;
    manifests.push({ digest: doc.descriptor.digest, mediaType: doc.descriptor.mediaType, result: result.right });
  }
  return E.right({
    reference: formatReference(target.reference),
    digest: top.descriptor.digest,
    mediaType: top.descriptor.mediaType,
    size: top.descriptor.size,
    blobs: pushed.right,
    manifests,
  });
};
