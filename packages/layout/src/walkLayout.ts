import * as O from "fp-ts/lib/Option.js";
import { absurd, pipe } from "fp-ts/lib/function.js";
import * as path from "node:path";
import {
  MediaType,
  decodeImageConfig,
  decodeImageIndex,
  decodeImageManifest,
  decodeOciLayoutFile,
  isLayerMediaType,
  uncompressedLayerMediaTypes,
} from "@ocistage/oci";
import type { DecodeFailure, Descriptor, Digest, ImageConfig, ImageIndex, OciLayoutFile } from "@ocistage/oci";
import type { Either } from "fp-ts/lib/Either.js";
import * as W from "./Checked.ts";
import type { Walk } from "./Checked.ts";
import type { BlobNode, ConfigNode, LayoutNode } from "./Layout.ts";
import type { LayoutIssue } from "./LayoutIssue.ts";
import { atField, atFile, follow } from "./LayoutLocation.ts";
import type { FieldLocation, LayoutLocation } from "./LayoutLocation.ts";
import { inspectPath, readBytes } from "./layoutFs.ts";
import { decodeAt, documentSizeLimit, mediaTypeChecks, ownMediaType, parseJson, probeBlob, readDocument, unknownBlob } from "./readBlob.ts";
import type { BlobContext, BlobProbe } from "./readBlob.ts";

/**
 * The walk shared by `readLayout` and `verifyLayout`: from `oci-layout` and `index.json`, follow
 * every descriptor to manifests, nested indexes, configs and layers, collecting every issue met.
 *
 * JSON documents are read, size-checked and hashed as they are decoded. Other blobs (layers) are
 * only *probed*: `readLayout` stats them, `verifyLayout` looks them up in its re-hash of every blob.
 */

export interface WalkedLayout {
  readonly ociLayout: O.Option<OciLayoutFile>;
  readonly index: O.Option<ImageIndex>;
  /** One per `index.json` entry; `none` where an issue stopped the walk. */
  readonly manifests: readonly O.Option<LayoutNode>[];
}

type DocumentKind = "manifest" | "index";

export const walkLayout = (dir: string, probe: BlobProbe): Walk<WalkedLayout> => {
  const ctx: BlobContext = { dir, probe };
  return pipe(
    readRootDocument(ctx, "oci-layout", decodeOciLayoutFile),
    W.chain((ociLayout) =>
      pipe(
        checkBlobsDirectory(ctx),
        W.chain(() => readRootDocument(ctx, "index.json", decodeImageIndex)),
        W.chain((index) =>
          pipe(
            O.isSome(index) ? followEntries(ctx, atFile("index.json"), index.value.manifests, []) : W.done([]),
            W.map((manifests): WalkedLayout => ({ ociLayout, index, manifests })),
          ),
        ),
      ),
    ),
  );
};

// --- root files -------------------------------------------------------------------------------

const readRootDocument = <A>(
  ctx: BlobContext,
  name: string,
  decode: (u: unknown) => Either<DecodeFailure, A>,
): Walk<O.Option<A>> => {
  const at = atFile(name);
  const file = path.join(ctx.dir, name);
  return pipe(
    W.fromIO(inspectPath(file)),
    W.chain((state) => {
      switch (state._tag) {
        case "Absent":
          return W.withIssues(O.none, [{ _tag: "MissingFile", at, kind: "file" }]);
        case "Directory":
        case "Other":
          return W.withIssues(O.none, [{ _tag: "NotARegularFile", at, expected: "file" }]);
        case "File":
          // The same cap as for JSON blobs: a tampered index.json is never read into memory whole.
          if (state.size > documentSizeLimit) return W.withIssues(O.none, [{ _tag: "DocumentTooLarge", at, size: state.size, limit: documentSizeLimit }]);
          return pipe(
            W.fromIO(readBytes(file)),
            W.chain((bytes) => parseJson(at, bytes)),
            W.chainSome((json) => decodeAt(at, decode, json)),
          );
        default:
          return absurd(state);
      }
    }),
  );
};

const checkBlobsDirectory = (ctx: BlobContext): Walk<void> => {
  const at = atFile("blobs");
  return pipe(
    W.fromIO(inspectPath(path.join(ctx.dir, "blobs"))),
    W.chain((state) =>
      state._tag === "Directory"
        ? W.done(undefined)
        : W.withIssues(undefined, [
            state._tag === "Absent"
              ? { _tag: "MissingFile", at, kind: "directory" }
              : { _tag: "NotARegularFile", at, expected: "directory" },
          ]),
    ),
  );
};

// --- manifests, indexes, configs, layers ------------------------------------------------------

const documentKindOf = (mediaType: string): DocumentKind | undefined =>
  mediaType === MediaType.imageManifest ? "manifest" : mediaType === MediaType.imageIndex ? "index" : undefined;

const followEntries = (
  ctx: BlobContext,
  doc: LayoutLocation,
  entries: readonly Descriptor[],
  ancestors: readonly Digest[],
): Walk<readonly O.Option<LayoutNode>[]> =>
  pipe(
    entries,
    W.traverse((d, i) => followIndexEntry(ctx, atField(doc, `manifests[${i}]`), d, ancestors)),
  );

const followIndexEntry = (
  ctx: BlobContext,
  at: FieldLocation,
  d: Descriptor,
  ancestors: readonly Digest[],
): Walk<O.Option<LayoutNode>> => {
  const declared = documentKindOf(d.mediaType);
  if (declared === undefined) return unknownBlob(ctx, at, d, "index entry");
  return pipe(
    readDocument(ctx, at, d, declared, ancestors),
    W.chainSome((json) => {
      // When descriptor and document disagree, believe the document: the checks below then still
      // make sense, and the disagreement itself is reported once.
      const own = ownMediaType(json);
      const kind = (own === undefined ? undefined : documentKindOf(own)) ?? declared;
      return pipe(
        W.withIssues(undefined, mediaTypeChecks(at, d, json)),
        W.chain(() => (kind === "manifest" ? followManifest(ctx, at, d, json) : followIndex(ctx, at, d, json, ancestors))),
      );
    }),
  );
};

const followIndex = (
  ctx: BlobContext,
  at: FieldLocation,
  d: Descriptor,
  json: unknown,
  ancestors: readonly Digest[],
): Walk<O.Option<LayoutNode>> => {
  const doc = follow(at, "index");
  return pipe(
    decodeAt(doc, decodeImageIndex, json),
    W.chainSome((index) =>
      pipe(
        followEntries(ctx, doc, index.manifests, [...ancestors, d.digest]),
        W.map((children) =>
          pipe(
            O.sequenceArray(children),
            O.map((manifests): LayoutNode => ({ _tag: "IndexNode", at, descriptor: d, index, manifests })),
          ),
        ),
      ),
    ),
  );
};

const followManifest = (ctx: BlobContext, at: FieldLocation, d: Descriptor, json: unknown): Walk<O.Option<LayoutNode>> => {
  const doc = follow(at, "manifest");
  return pipe(
    decodeAt(doc, decodeImageManifest, json),
    W.chainSome((manifest) =>
      pipe(
        followConfig(ctx, atField(doc, "config"), manifest.config, manifest.layers),
        W.chain((config) =>
          pipe(
            manifest.layers,
            W.traverse((layer, i) => followLayer(ctx, atField(doc, `layers[${i}]`), layer)),
            W.chain((layers) =>
              pipe(
                manifest.subject === undefined ? W.done(O.none) : probeBlob(ctx, atField(doc, "subject"), manifest.subject),
                W.map(() =>
                  pipe(
                    O.Do,
                    O.apS("config", config),
                    O.apS("layers", O.sequenceArray(layers)),
                    O.map((found): LayoutNode => ({ _tag: "ManifestNode", at, descriptor: d, manifest, ...found })),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
};

const followLayer = (ctx: BlobContext, at: FieldLocation, d: Descriptor): Walk<O.Option<BlobNode>> =>
  isLayerMediaType(d.mediaType) ? probeBlob(ctx, at, d) : unknownBlob(ctx, at, d, "layer");

const followConfig = (
  ctx: BlobContext,
  at: FieldLocation,
  d: Descriptor,
  layers: readonly Descriptor[],
): Walk<O.Option<ConfigNode>> => {
  if (d.mediaType === MediaType.emptyJson) return probeBlob(ctx, at, d);
  if (d.mediaType !== MediaType.imageConfig) return unknownBlob(ctx, at, d, "config");
  const doc = follow(at, "config");
  return pipe(
    readDocument(ctx, at, d, "config", []),
    W.chainSome((json) =>
      pipe(
        W.withIssues(undefined, mediaTypeChecks(at, d, json)),
        W.chain(() => decodeAt(doc, decodeImageConfig, json)),
      ),
    ),
    W.chainSome((config) =>
      W.withIssues(
        O.some<ConfigNode>({ _tag: "ImageConfigNode", at, descriptor: d, config }),
        diffIdChecks(doc, config, layers),
      ),
    ),
  );
};

/** `rootfs.diff_ids` lists one entry per layer; for an uncompressed layer it is the layer's digest. */
const diffIdChecks = (doc: LayoutLocation, config: ImageConfig, layers: readonly Descriptor[]): readonly LayoutIssue[] => {
  const diffIds = config.rootfs.diff_ids;
  const count: readonly LayoutIssue[] =
    diffIds.length === layers.length
      ? []
      : [
          {
            _tag: "DiffIdCountMismatch",
            at: atField(doc, "rootfs.diff_ids"),
            diffIds: diffIds.length,
            layers: layers.length,
          },
        ];
  const each = diffIds.flatMap((diffId, i): readonly LayoutIssue[] => {
    const layer = layers[i];
    return layer !== undefined && uncompressedLayerMediaTypes.has(layer.mediaType) && layer.digest !== diffId
      ? [
          {
            _tag: "DiffIdMismatch",
            at: atField(doc, `rootfs.diff_ids[${i}]`),
            diffId,
            layer: i,
            layerDigest: layer.digest,
          },
        ]
      : [];
  });
  return [...count, ...each];
};
