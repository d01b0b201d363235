import * as E from "fp-ts/lib/Either.js";
import { matchLayoutNode } from "@ocistage/layout";
import type { LayoutNode, ManifestNode } from "@ocistage/layout";
import { blobPath } from "@ocistage/oci";
import * as path from "node:path";
import type { BlobSource } from "./blobUpload.ts";
import type { DocumentSource } from "./putManifest.ts";

/**
 * What pushing one `index.json` entry sends, in the order that keeps every tag whole: every blob
 * (configs and layers, once each), then the child manifests by digest, then nested indexes by
 * digest (children before parents), and last `top`, the entry itself, under the tag.
 */
export interface PushPlan {
  readonly blobs: readonly BlobSource[];
  readonly children: readonly DocumentSource[];
  readonly top: DocumentSource;
}

const documentOf = (dir: string, node: { readonly descriptor: DocumentSource["descriptor"] }): DocumentSource => ({
  descriptor: node.descriptor,
  file: path.join(dir, ...blobPath(node.descriptor.digest).split("/")),
});

const blobsOfManifest = (node: ManifestNode): readonly BlobSource[] => [
  { descriptor: node.config.descriptor, file: node.config._tag === "BlobNode" ? node.config.path : "" },
  ...node.layers.map((l) => ({ descriptor: l.descriptor, file: l.path })),
];

/**
 * The plan for one entry of the layout in `dir`. An entry that is neither an image manifest nor
 * an index (an opaque blob) cannot be pushed: Left with why.
 */
export const planPush = (dir: string, entry: LayoutNode): E.Either<string, PushPlan> => {
  const blobs = new Map<string, BlobSource>();
  const children: DocumentSource[] = [];
  const addBlobs = (node: ManifestNode): void => {
    for (const b of blobsOfManifest(node)) if (!blobs.has(b.descriptor.digest)) blobs.set(b.descriptor.digest, { ...b, file: b.file === "" ? documentOf(dir, b).file : b.file });
  };
  const visit = (node: LayoutNode, isTop: boolean): string | undefined =>
    matchLayoutNode<string | undefined>({
      ManifestNode: (m) => {
        addBlobs(m);
        if (!isTop && !children.some((c) => c.descriptor.digest === m.descriptor.digest)) children.push(documentOf(dir, m));
        return undefined;
      },
      IndexNode: (i) => {
        for (const child of i.manifests) {
          const problem = visit(child, false);
          if (problem !== undefined) return problem;
        }
        if (!isTop && !children.some((c) => c.descriptor.digest === i.descriptor.digest)) children.push(documentOf(dir, i));
        return undefined;
      },
      BlobNode: (b) => `${b.descriptor.digest} (${b.descriptor.mediaType}) is neither an image manifest nor an index`,
    })(node);
  const problem = visit(entry, true);
  if (problem !== undefined) return E.left(problem);
  return E.right({ blobs: [...blobs.values()], children, top: documentOf(dir, entry) });
};
