import * as E from "fp-ts/lib/Either.js";
import type { BaseSource } from "@ocistage/program";

/** A parsed `from`: where the base is, and the manifest digest the spec pins it to, if any. */
export interface BaseReference {
  readonly source: BaseSource;
  readonly pinned?: string; // sha256:… the base's manifest must have
}

const PIN = /@(sha256:[0-9a-f]{64})$/;

// `PATH[:REF]`: the last ":" splits, as containers-transports(5) reads `oci:` names; a path with
// a ":" of its own must be given with a reference after it.
const pathAndRef = (rest: string): { readonly path: string; readonly ref?: string } => {
  const colon = rest.lastIndexOf(":");
  if (colon <= 0) return { path: rest };
  return { path: rest.slice(0, colon), ref: rest.slice(colon + 1) };
};

/**
 * `from` text → BaseReference, as containers-transports(5) names images: `oci:PATH[:REF]`,
 * `oci-archive:PATH[:REF]`, `docker-archive:PATH`, `docker://REGISTRY/REPO[:TAG][@DIGEST]`; any of
 * them may end in `@sha256:<64 hex>` to pin the manifest's digest. Left: why the text is not one.
 */
export const parseBaseReference = (text: string): E.Either<string, BaseReference> => {
  const pin = PIN.exec(text);
  const body = pin === null ? text : text.slice(0, pin.index);
  const pinned = pin === null ? {} : { pinned: pin[1] as string };
  const transport = body.startsWith("docker://") ? "docker://" : body.slice(0, body.indexOf(":") + 1);
  const rest = body.slice(transport.length);
  const known = "oci:, oci-archive:, docker-archive: or docker://";
  if (rest === "" && transport !== "") return E.left(`names no image after ${transport}`);
  switch (transport) {
    case "oci:": {
      const { path, ref } = pathAndRef(rest);
      if (ref === "") return E.left("has an empty reference after the path's \":\"");
      return E.right({ source: { _tag: "Oci", path, ...(ref === undefined ? {} : { ref }) }, ...pinned });
    }
    case "oci-archive:": {
      const { path, ref } = pathAndRef(rest);
      if (ref === "") return E.left("has an empty reference after the path's \":\"");
      return E.right({ source: { _tag: "OciArchive", path, ...(ref === undefined ? {} : { ref }) }, ...pinned });
    }
    case "docker-archive:":
      return E.right({ source: { _tag: "DockerArchive", path: rest }, ...pinned });
    case "docker://":
      return E.right({ source: { _tag: "Registry", reference: rest + (pin === null ? "" : `@${pin[1]}`) }, ...pinned });
    default:
      return E.left(`names no transport: expected it to start with ${known}`);
  }
};

/** The path a local base is read from, or undefined for a registry base. */
export const basePath = (source: BaseSource): string | undefined => (source._tag === "Registry" ? undefined : source.path);
