import * as E from "fp-ts/lib/Either.js";
import { decodeDescriptor, MediaType } from "@ocistage/oci";
import type { Descriptor } from "@ocistage/oci";

/** Docker's schema 2 media types, which registries still serve; pulled and stored as they are. */
export const DockerMediaType = {
  manifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  manifest: "application/vnd.docker.distribution.manifest.v2+json",
} as const;

/** What a pull asks a registry for, best first. */
export const MANIFEST_ACCEPT = [MediaType.imageIndex, MediaType.imageManifest, DockerMediaType.manifestList, DockerMediaType.manifest].join(", ");

const INDEX_TYPES = new Set<string>([MediaType.imageIndex, DockerMediaType.manifestList]);
const MANIFEST_TYPES = new Set<string>([MediaType.imageManifest, DockerMediaType.manifest]);

/** What a manifest document points at: an index's children, or an image manifest's config and layers. */
export type ManifestLinks =
  | { readonly _tag: "Index"; readonly children: readonly Descriptor[] }
  | { readonly _tag: "Manifest"; readonly config: Descriptor; readonly layers: readonly Descriptor[] };

const descriptors = (value: unknown, field: string): E.Either<string, readonly Descriptor[]> => {
  if (!Array.isArray(value)) return E.left(`"${field}" is not an array`);
  const out: Descriptor[] = [];
  for (const [i, item] of value.entries()) {
    const d = decodeDescriptor(item);
    if (E.isLeft(d)) return E.left(`${field}[${i}] is not a descriptor (${d.left.problems.map((p) => `${p.path}: expected ${p.expected}`).join("; ")})`);
    out.push(d.right);
  }
  return E.right(out);
};

/**
 * Reads a manifest or index by media type (the `Content-Type`, else the document's own
 * `mediaType`), OCI's or Docker's schema 2. Left: why it cannot be used (another media type,
 * a malformed document).
 */
export const manifestLinks = (mediaType: string, json: unknown): E.Either<string, ManifestLinks> => {
  if (typeof json !== "object" || json === null) return E.left("the document is not a JSON object");
  const doc = json as { readonly manifests?: unknown; readonly config?: unknown; readonly layers?: unknown };
  if (INDEX_TYPES.has(mediaType)) return E.map((children: readonly Descriptor[]): ManifestLinks => ({ _tag: "Index", children }))(descriptors(doc.manifests, "manifests"));
  if (MANIFEST_TYPES.has(mediaType)) {
    const config = decodeDescriptor(doc.config);
    if (E.isLeft(config)) return E.left(`"config" is not a descriptor`);
    return E.map((layers: readonly Descriptor[]): ManifestLinks => ({ _tag: "Manifest", config: config.right, layers }))(descriptors(doc.layers, "layers"));
  }
  return E.left(`the media type ${JSON.stringify(mediaType)} is not an image manifest or index this tool reads`);
};

/** The media type of a fetched document: its own `mediaType` field, else the response's Content-Type. */
export const documentMediaType = (json: unknown, contentType: string | null): string => {
  const own = typeof json === "object" && json !== null ? (json as { readonly mediaType?: unknown }).mediaType : undefined;
  return typeof own === "string" ? own : (contentType ?? "").split(";")[0]?.trim() ?? "";
};
