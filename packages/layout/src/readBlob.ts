import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import * as path from "node:path";
import { blobPath, digestAlgorithm } from "@ocistage/oci";
import type { DecodeFailure, Descriptor, Digest } from "@ocistage/oci";
import * as W from "./Checked.ts";
import type { Walk } from "./Checked.ts";
import type { BlobNode } from "./Layout.ts";
import type { LayoutIOError } from "./LayoutError.ts";
import type { LayoutIssue, MediaTypeRole } from "./LayoutIssue.ts";
import { atField, follow } from "./LayoutLocation.ts";
import type { FieldLocation, LayoutLocation } from "./LayoutLocation.ts";
import { hashBytes, inspectPath, readBytes } from "./layoutFs.ts";

/**
 * Reaching what one descriptor points at, for the layout walk: a JSON document is read, checked
 * against the descriptor (exists, size, digest) and parsed; any other blob is only probed.
 */

/** What a probe learns about a blob without reading it here: its size, and its digest if it hashed it. */
export interface BlobFacts {
  readonly size: number;
  readonly digest: O.Option<Digest>;
}

/** `none` when there is no blob file for the digest. */
export type BlobProbe = (digest: Digest) => TE.TaskEither<LayoutIOError, O.Option<BlobFacts>>;

/** Where the walk is: the layout directory, and how it learns about blobs it does not read. */
export interface BlobContext {
  readonly dir: string;
  readonly probe: BlobProbe;
}

/**
 * Far above any real manifest or config (registries cap manifests at 4 MiB), and low enough that a
 * descriptor mislabelling a layer as a document cannot make us load the layer into memory.
 */
export const documentSizeLimit = 16 * 1024 * 1024;

export const layoutBlobFile = (dir: string, digest: Digest): string => path.join(dir, ...blobPath(digest).split("/"));

// --- JSON documents ---------------------------------------------------------------------------

// Fatal, so bytes that are not UTF-8 are reported rather than silently replaced; the BOM is kept
// so that JSON.parse rejects it, as JSON exchanged between systems must not carry one.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export const parseJson = (at: LayoutLocation, bytes: Uint8Array): Walk<O.Option<unknown>> =>
  pipe(
    E.tryCatch(
      () => JSON.parse(utf8.decode(bytes)) as unknown,
      (e) => (e instanceof Error ? e.message : String(e)),
    ),
    E.match(
      (detail) => W.withIssues(O.none, [{ _tag: "InvalidJson", at, detail }]),
      (json) => W.done(O.some(json)),
    ),
  );

export const decodeAt = <A>(
  at: LayoutLocation,
  decode: (u: unknown) => E.Either<DecodeFailure, A>,
  json: unknown,
): Walk<O.Option<A>> =>
  pipe(
    decode(json),
    E.match(
      (failure) =>
        W.withIssues(
          O.none,
          failure.problems.map(
            (p): LayoutIssue => ({ _tag: "InvalidDocument", at: atField(at, p.path), expected: p.expected, found: p.found }),
          ),
        ),
      (a) => W.done(O.some(a)),
    ),
  );

/** Size and digest of a blob against its descriptor. */
const blobChecks = (at: LayoutLocation, d: Descriptor, size: number, digest: O.Option<Digest>): readonly LayoutIssue[] => [
  ...(size === d.size ? [] : [{ _tag: "SizeMismatch" as const, at, actual: size, declared: d.size }]),
  ...(O.isSome(digest) && digest.value !== d.digest ? [{ _tag: "DigestMismatch" as const, at, expected: d.digest, actual: digest.value }] : []),
];

/** The document's own `mediaType` field, where it has one. */
export const ownMediaType = (json: unknown): string | undefined => {
  if (typeof json !== "object" || json === null) return undefined;
  const mt: unknown = (json as { readonly mediaType?: unknown }).mediaType;
  return typeof mt === "string" ? mt : undefined;
};

export const mediaTypeChecks = (at: LayoutLocation, d: Descriptor, json: unknown): readonly LayoutIssue[] => {
  const own = ownMediaType(json);
  return own === undefined || own === d.mediaType
    ? []
    : [{ _tag: "MediaTypeMismatch", at, declared: d.mediaType, document: own }];
};

/**
 * Reads the JSON document a descriptor points at: the blob must exist, be of a plausible size, and
 * match the descriptor's size and digest; `name` is what the document is called in locations.
 */
export const readDocument = (
  ctx: BlobContext,
  at: FieldLocation,
  d: Descriptor,
  name: string,
  ancestors: readonly Digest[],
): Walk<O.Option<unknown>> => {
  if (ancestors.includes(d.digest)) return W.withIssues(O.none, [{ _tag: "DescriptorCycle", at, digest: d.digest }]);
  const file = layoutBlobFile(ctx.dir, d.digest);
  return pipe(
    W.touching(d.digest, undefined),
    W.chain(() => W.fromIO(inspectPath(file))),
    W.chain((state): Walk<O.Option<unknown>> => {
      if (state._tag !== "File") return W.withIssues(O.none, [{ _tag: "MissingBlob", at, digest: d.digest }]);
      if (state.size > documentSizeLimit) {
        return W.withIssues(O.none, [{ _tag: "DocumentTooLarge", at, size: state.size, limit: documentSizeLimit }]);
      }
      return pipe(
        W.fromIO(readBytes(file)),
        W.chain((bytes) =>
          pipe(
            W.withIssues(undefined, blobChecks(at, d, bytes.length, O.some(hashBytes(digestAlgorithm(d.digest), bytes)))),
            W.chain(() => parseJson(follow(at, name), bytes)),
          ),
        ),
      );
    }),
  );
};

// --- opaque blobs -----------------------------------------------------------------------------

export const probeBlob = (ctx: BlobContext, at: FieldLocation, d: Descriptor): Walk<O.Option<BlobNode>> =>
  pipe(
    W.touching(d.digest, undefined),
    W.chain(() => W.fromIO(ctx.probe(d.digest))),
    W.chain(
      O.match(
        () => W.withIssues(O.none, [{ _tag: "MissingBlob", at, digest: d.digest }]),
        (facts) =>
          W.withIssues(
            O.some<BlobNode>({ _tag: "BlobNode", at, descriptor: d, path: layoutBlobFile(ctx.dir, d.digest) }),
            blobChecks(at, d, facts.size, facts.digest),
          ),
      ),
    ),
  );

/** Content of a media type we do not know for its role: said so, and still probed. */
export const unknownBlob = (ctx: BlobContext, at: FieldLocation, d: Descriptor, role: MediaTypeRole): Walk<O.Option<BlobNode>> =>
  pipe(
    W.withIssues(undefined, [{ _tag: "UnknownMediaType", at, mediaType: d.mediaType, role }]),
    W.chain(() => probeBlob(ctx, at, d)),
  );

