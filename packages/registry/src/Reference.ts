import * as E from "fp-ts/lib/Either.js";
import { parseDigest } from "@ocistage/oci";
import type { Digest } from "@ocistage/oci";

/**
 * An image reference as docker and the containers tools write it:
 * `[docker://][REGISTRY/]REPOSITORY[:TAG][@DIGEST]`, e.g. `127.0.0.1:5000/web:1.0`,
 * `registry.example/team/app@sha256:…`, `busybox` (= `docker.io/library/busybox`).
 *
 * The grammar is the distribution project's reference grammar: the first path component is the
 * registry when it holds a `.` or a `:`, is `localhost`, or has upper-case letters; otherwise the
 * registry is Docker Hub and a one-component repository gets `library/` in front.
 */
export interface Reference {
  /** `host[:port]` as written (Docker Hub is `docker.io`); the key credentials are looked up by. */
  readonly registry: string;
  /** The repository inside the registry, `a/b/c`, lower case. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

export interface ReferenceError {
  readonly _tag: "InvalidReference";
  readonly input: string;
  readonly reason: string;
}

export const DOCKER_HUB = "docker.io";

// distribution/reference: path components, separators, tags.
const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const domainPattern = new RegExp(`^(?:${domainComponent}(?:\\.${domainComponent})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const maxNameLength = 255;
// The containers tools' other transports, refused by name rather than misread as a host.
const otherTransports = ["oci", "oci-archive", "dir", "docker-archive", "docker-daemon", "containers-storage"];

const invalid = (input: string, reason: string): E.Either<ReferenceError, never> => E.left({ _tag: "InvalidReference", input, reason });

const looksLikeRegistry = (component: string): boolean =>
  component.includes(".") || component.includes(":") || component === "localhost" || component.toLowerCase() !== component;

/** Splits `name[:tag][@digest]`; the tag's colon is the last one after the last slash. */
const splitTagAndDigest = (rest: string): { readonly name: string; readonly tag?: string; readonly digest?: string } => {
  const at = rest.indexOf("@");
  const beforeDigest = at < 0 ? rest : rest.slice(0, at);
  const digest = at < 0 ? undefined : rest.slice(at + 1);
  const colon = beforeDigest.lastIndexOf(":");
  const hasTag = colon > beforeDigest.lastIndexOf("/");
  const name = hasTag ? beforeDigest.slice(0, colon) : beforeDigest;
  const tag = hasTag ? beforeDigest.slice(colon + 1) : undefined;
  return { name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
};

/**
 * Parses a reference. Errors say what was wrong in words (`the tag "a b" …`), with the input.
 * `docker://` is accepted in front; other transports (`oci:`, `dir:`) are refused by name.
 */
export const parseReference = (input: string): E.Either<ReferenceError, Reference> => {
  const text = input.startsWith("docker://") ? input.slice("docker://".length) : input;
  if (text === "") return invalid(input, "it is empty; expected REGISTRY/REPOSITORY[:TAG][@sha256:…]");
  if (/^https?:\/\//.test(text)) return invalid(input, "a URL is not an image reference; write REGISTRY/REPOSITORY[:TAG] (docker:// may lead)");
  const transport = otherTransports.find((t) => text.startsWith(`${t}:`));
  if (transport !== undefined) return invalid(input, `${transport}: is not a registry; expected REGISTRY/REPOSITORY[:TAG] (docker:// may lead)`);
  const { name, tag, digest } = splitTagAndDigest(text);
  const slash = name.indexOf("/");
  const first = slash < 0 ? name : name.slice(0, slash);
  const explicit = slash >= 0 && looksLikeRegistry(first);
  const registry = explicit ? first : DOCKER_HUB;
  const path = explicit ? name.slice(slash + 1) : name;
  if (explicit && !domainPattern.test(registry)) return invalid(input, `the registry ${JSON.stringify(registry)} is not a host name or address with an optional :port`);
  if (path === "") return invalid(input, "there is no repository after the registry");
  const components = path.split("/");
  const bad = components.find((c) => !pathComponent.test(c));
  if (bad !== undefined)
    return invalid(input, `the repository component ${JSON.stringify(bad)} must be lower-case letters and digits, joined by ".", "_", "__" or dashes`);
  const repository = registry === DOCKER_HUB && components.length === 1 ? `library/${path}` : path;
  if (`${registry}/${repository}`.length > maxNameLength) return invalid(input, `the name is longer than ${maxNameLength} characters`);
  if (tag !== undefined && !tagPattern.test(tag)) return invalid(input, `the tag ${JSON.stringify(tag)} must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`);
  if (digest === undefined) return E.right({ registry, repository, ...(tag === undefined ? {} : { tag }) });
  const parsed = parseDigest(digest);
  if (E.isLeft(parsed)) return invalid(input, `the digest ${JSON.stringify(digest)} is not sha256:<64 hex digits> (or sha512)`);
  return E.right({ registry, repository, ...(tag === undefined ? {} : { tag }), digest: parsed.right });
};

/** `registry/repository[:tag][@digest]`, the form the parser reads back to the same value. */
export const formatReference = (ref: Reference): string =>
  `${ref.registry}/${ref.repository}${ref.tag === undefined ? "" : `:${ref.tag}`}${ref.digest === undefined ? "" : `@${ref.digest}`}`;

/** `registry/repository`, for messages about a repository as a whole. */
export const formatRepository = (ref: Pick<Reference, "registry" | "repository">): string => `${ref.registry}/${ref.repository}`;

/** The host the API is served on: Docker Hub's registry lives at `registry-1.docker.io`. */
export const apiHost = (registry: string): string => (registry === DOCKER_HUB ? "registry-1.docker.io" : registry);

/** What a manifest is asked for by: the digest when there is one (it pins the bytes), else the tag, else `latest`. */
export const manifestReference = (ref: Reference): string => ref.digest ?? ref.tag ?? "latest";

/** A tag is valid by the distribution grammar (for tags taken from a layout's `ref.name`). */
export const isValidTag = (tag: string): boolean => tagPattern.test(tag);

/** A repository path is valid by the distribution grammar. */
export const isValidRepository = (repository: string): boolean => repository.split("/").every((c) => pathComponent.test(c));
