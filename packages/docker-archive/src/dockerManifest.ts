import type { Either } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { decodeWith } from "@ocistage/oci";
import type { DecodeFailure } from "@ocistage/oci";

/**
 * One image of a docker-archive's `manifest.json` (the `docker save` format, moby
 * image/docker-archive): its config file, the names it is tagged with, and its layer tars,
 * base first, each a member name relative to the archive root. Other keys (`Parent`,
 * `LayerSources`) are allowed and ignored.
 */
export interface DockerManifestEntry {
  readonly Config: string;
  readonly RepoTags?: readonly string[] | null;
  readonly Layers: readonly string[];
}

export const DockerManifestEntryCodec: t.Type<DockerManifestEntry, DockerManifestEntry, unknown> = t.readonly(
  t.intersection([
    t.type({ Config: t.string, Layers: t.readonlyArray(t.string, "Array<string>") }),
    t.partial({ RepoTags: t.union([t.readonlyArray(t.string, "Array<string>"), t.null], "Array<string> | null") }),
  ]),
  "DockerManifestEntry",
);

export const decodeDockerManifest: (u: unknown) => Either<DecodeFailure, readonly DockerManifestEntry[]> = decodeWith(
  t.readonlyArray(DockerManifestEntryCodec, "Array<DockerManifestEntry>"),
);

/** `manifest.json`'s bytes for the given entries: keys in Docker's own order, one line. */
export const dockerManifestBytes = (entries: readonly DockerManifestEntry[]): Uint8Array =>
  new TextEncoder().encode(JSON.stringify(entries.map((e) => ({ Config: e.Config, RepoTags: e.RepoTags ?? [], Layers: e.Layers }))));

/**
 * The tag of a Docker reference (`docker.io/library/busybox:1.36` → `1.36`, `localhost:5000/app`
 * → `latest`): after the last colon that follows the last slash, `latest` when there is none.
 * A digest (`name@sha256:…`) has no tag: undefined.
 */
export const tagOfReference = (reference: string): string | undefined => {
  if (reference.includes("@")) return undefined;
  const lastSlash = reference.lastIndexOf("/");
  const colon = reference.indexOf(":", lastSlash + 1);
  return colon === -1 ? "latest" : reference.slice(colon + 1);
};

/** The repository of a Docker reference: everything before its tag. */
export const repositoryOfReference = (reference: string): string => {
  const lastSlash = reference.lastIndexOf("/");
  const colon = reference.indexOf(":", lastSlash + 1);
  return colon === -1 ? reference : reference.slice(0, colon);
};
