import { absurd } from "fp-ts/lib/function.js";

/** Where a request went: the registry as the user named it and the repository (empty for `/v2/`). */
export interface Target {
  readonly registry: string;
  readonly repository: string;
}

/**
 * Every way talking to a registry fails, as data. `what` names the object of the request in
 * words ("blob sha256:…", "manifest 1.0", "a bearer token from https://…"). No variant ever holds
 * a secret: `credentials` says where credentials came from, never what they are.
 */
export type RegistryError =
  /** 401 or 403 after the credentials were used (or none were found). */
  | (Target & { readonly _tag: "Unauthorized"; readonly status: number; readonly what: string; readonly credentials: string; readonly detail: string })
  | (Target & { readonly _tag: "NotFound"; readonly what: string; readonly detail: string })
  /** 413: the registry refuses a body that large (a layer, a manifest). */
  | (Target & { readonly _tag: "TooLarge"; readonly what: string; readonly detail: string })
  /** 429, 5xx or a dropped connection, still so after every retry. */
  | (Target & { readonly _tag: "GaveUp"; readonly what: string; readonly attempts: number; readonly last: string; readonly retryAfterMs?: number })
  /** Any other answer the protocol does not allow here (400 DIGEST_INVALID, MANIFEST_BLOB_UNKNOWN, …). */
  | (Target & { readonly _tag: "Refused"; readonly what: string; readonly status: number; readonly detail: string })
  /** The TLS handshake failed: an unknown CA, a wrong host name, an expired certificate. */
  | (Target & { readonly _tag: "Tls"; readonly reason: string })
  /** Bytes the registry sent do not hash to the digest that named them. */
  | (Target & { readonly _tag: "DigestMismatch"; readonly what: string; readonly expected: string; readonly actual: string })
  /** A well-formed answer we cannot use: an unknown manifest media type, no image for a platform. */
  | (Target & { readonly _tag: "Unsupported"; readonly what: string; readonly detail: string })
  /** A credentials file that cannot be read or parsed, or a credential helper that failed. */
  | { readonly _tag: "Credentials"; readonly source: string; readonly reason: string }
  /** The local file system failed: reading a layout's blob, writing a pulled one. */
  | { readonly _tag: "LocalIo"; readonly path: string; readonly operation: string; readonly reason: string };

const at = (t: Target): string => (t.repository === "" ? t.registry : `${t.registry}/${t.repository}`);

/** One line per problem, each naming the registry and repository. */
export const formatRegistryError = (e: RegistryError): readonly string[] => {
  switch (e._tag) {
    case "Unauthorized":
      return [
        `${at(e)}: ${e.status === 403 ? "access denied (403)" : "authentication required (401)"} for ${e.what}; credentials: ${e.credentials}${e.detail === "" ? "" : ` (registry said: ${e.detail})`}`,
      ];
    case "NotFound":
      return [`${at(e)}: ${e.what} not found (404)${e.detail === "" ? "" : ` (registry said: ${e.detail})`}`];
    case "TooLarge":
      return [`${at(e)}: the registry refuses ${e.what} as too large (413)${e.detail === "" ? "" : ` (registry said: ${e.detail})`}`];
    case "GaveUp":
      return [`${at(e)}: gave up on ${e.what} after ${e.attempts} attempt${e.attempts === 1 ? "" : "s"}: ${e.last}`];
    case "Refused":
      return [`${at(e)}: the registry refused ${e.what} (${e.status})${e.detail === "" ? "" : `: ${e.detail}`}`];
    case "Tls":
      return [`${at(e)}: TLS failed: ${e.reason} (a private CA: --cert-dir DIR with ca.crt; a registry you trust without TLS checks: --tls-verify=false)`];
    case "DigestMismatch":
      return [`${at(e)}: ${e.what} does not match its digest: expected ${e.expected}, the bytes received hash to ${e.actual}; nothing was kept`];
    case "Unsupported":
      return [`${at(e)}: ${e.what}: ${e.detail}`];
    case "Credentials":
      return [`credentials from ${e.source}: ${e.reason}`];
    case "LocalIo":
      return [`${e.path}: could not ${e.operation}: ${e.reason}`];
    default:
      return absurd(e);
  }
};

/** The local machine failed (exit 3), as opposed to the registry or the input (exit 1). */
export const isLocalFailure = (e: RegistryError): boolean => e._tag === "LocalIo";

/** The text of any thrown value, for the `reason` fields. */
export const reasonOf = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { readonly cause?: unknown }).cause;
  const code = (e as NodeJS.ErrnoException).code;
  if (cause instanceof Error) return `${e.message}: ${reasonOf(cause)}`;
  return code !== undefined && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
};
