import type * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { FoundCredentials } from "../credentials/Credentials.ts";
import { describeCredentials } from "../credentials/Credentials.ts";
import type { RegistryError, Target } from "../RegistryError.ts";
import { reasonOf } from "../RegistryError.ts";
import type { BearerChallenge } from "../wwwAuthenticate.ts";
import { drain, isRetryableStatus, responseError } from "./responseError.ts";
import type { Attempt } from "./retrying.ts";
import { done, fail, retry, retrying } from "./retrying.ts";
import type { RetryPolicy } from "./retryPolicy.ts";
import { parseRetryAfter } from "./retryPolicy.ts";
import type { Transport } from "./Transport.ts";

/**
 * Bearer tokens for one registry (the distribution token flow): `GET realm?service=…&scope=…`
 * with the user's basic credentials if there are any, answered by `{"token"|"access_token",
 * "expires_in"}`. One token per set of scopes, reused until a little before it expires; asking
 * for the same set twice at once makes one request.
 */
export interface BearerTokens {
  readonly token: (scopes: readonly string[]) => TE.TaskEither<RegistryError, string>;
  /** Forgets the token of a scope set (the registry refused it). */
  readonly forget: (scopes: readonly string[]) => void;
}

// A token is not used in its last seconds: a request may take that long to reach the registry.
const EXPIRY_MARGIN_MS = 10_000;
// RFC 6750 and the distribution token spec: 60 s when the server does not say.
const DEFAULT_LIFETIME_S = 60;

export const scopeKey = (scopes: readonly string[]): string => [...new Set(scopes)].sort().join(" ");

const tokenUrl = (challenge: BearerChallenge, scopes: readonly string[]): string => {
  const url = new URL(challenge.realm);
  if (challenge.service !== undefined) url.searchParams.set("service", challenge.service);
  for (const scope of [...new Set(scopes)].sort()) url.searchParams.append("scope", scope);
  return url.toString();
};

const basicHeader = (found: FoundCredentials): Record<string, string> =>
  found._tag === "Found" ? { authorization: `Basic ${Buffer.from(`${found.credentials.username}:${found.credentials.password}`).toString("base64")}` } : {};

interface Cached {
  readonly token: Promise<E.Either<RegistryError, string>>;
  expiresAt: number;
}

export const makeBearerTokens = (challenge: BearerChallenge, found: FoundCredentials, transport: Transport, policy: RetryPolicy, target: Target): BearerTokens => {
  const cache = new Map<string, Cached>();
  const what = `a bearer token from ${new URL(challenge.realm).origin}`;

  const once = async (scopes: readonly string[]): Promise<Attempt<{ readonly token: string; readonly lifetimeS: number }>> => {
    let res;
    try {
      res = await transport.request(tokenUrl(challenge, scopes), { method: "GET", headers: { accept: "application/json", ...basicHeader(found) } });
    } catch (e) {
      return retry(reasonOf(e));
    }
    if (isRetryableStatus(res.status)) {
      await drain(res);
      return retry(`HTTP ${res.status}`, parseRetryAfter(res.headers.get("retry-after")));
    }
    if (res.status !== 200) return fail(await responseError(target, `${what} for ${scopes.join(" ") || "the registry"}`, res, describeCredentials(found)));
    const json = (await res.json().catch(() => ({}))) as { readonly token?: unknown; readonly access_token?: unknown; readonly expires_in?: unknown };
    const token = typeof json.token === "string" && json.token !== "" ? json.token : typeof json.access_token === "string" ? json.access_token : "";
    if (token === "") return fail({ _tag: "Refused", ...target, what, status: res.status, detail: "the answer holds no token" });
    return done({ token, lifetimeS: typeof json.expires_in === "number" && json.expires_in > 0 ? json.expires_in : DEFAULT_LIFETIME_S });
  };

  return {
    token: (scopes) => () => {
      const key = scopeKey(scopes);
      const cached = cache.get(key);
      if (cached !== undefined && Date.now() < cached.expiresAt) return cached.token;
      const entry: Cached = {
        expiresAt: Number.POSITIVE_INFINITY, // set when the answer comes
        token: pipe(
          retrying(policy, target, what, () => once(scopes)),
          TE.map(({ token, lifetimeS }) => {
            entry.expiresAt = Date.now() + lifetimeS * 1000 - EXPIRY_MARGIN_MS;
            return token;
          }),
          TE.orElseFirst(() => TE.fromIO(() => cache.delete(key))),
        )(),
      };
      cache.set(key, entry);
      return entry.token;
    },
    forget: (scopes) => {
      cache.delete(scopeKey(scopes));
    },
  };
};
