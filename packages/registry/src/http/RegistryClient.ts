import * as E from "fp-ts/lib/Either.js";
import type * as T from "fp-ts/lib/Task.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { FoundCredentials } from "../credentials/Credentials.ts";
import { describeCredentials } from "../credentials/Credentials.ts";
import { apiHost } from "../Reference.ts";
import type { RegistryError, Target } from "../RegistryError.ts";
import { reasonOf } from "../RegistryError.ts";
import { bearerOf, offersBasic, parseWwwAuthenticate } from "../wwwAuthenticate.ts";
import type { BearerTokens } from "./bearerTokens.ts";
import { makeBearerTokens } from "./bearerTokens.ts";
import { drain, isRetryableStatus, responseError } from "./responseError.ts";
import type { Attempt } from "./retrying.ts";
import { done, fail, retry, retrying } from "./retrying.ts";
import type { RetryPolicy } from "./retryPolicy.ts";
import { parseRetryAfter } from "./retryPolicy.ts";
import { tlsOptionsFor } from "./tlsOptions.ts";
import type { HttpBody, HttpResponse, Transport } from "./Transport.ts";
import { isTlsVerificationError, makeTransport } from "./Transport.ts";

/** One request to the registry. */
export interface RegistryRequest {
  readonly method: "GET" | "HEAD" | "PUT" | "POST" | "PATCH";
  /** A path under the registry (`/v2/…`) or an absolute URL (an upload's `Location`). */
  readonly url: string;
  readonly repository: string;
  /** The request's object in words, for errors: "blob sha256:…", "manifest 1.0". */
  readonly what: string;
  /** Token scopes the request needs: `repository:NAME:pull[,push]`. */
  readonly scopes: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  /** Makes the body anew for each try. */
  readonly body?: () => HttpBody;
  /**
   * Retry 429, 5xx and dropped connections here: for requests that can be sent again as they are.
   * Otherwise such failures come back at once as `GaveUp` (attempts 1) for the caller to restart.
   */
  readonly retry: boolean;
}

/** An open connection to one registry: its transport, its credentials and how it authenticates. */
export interface RegistryClient {
  readonly registry: string;
  readonly credentials: FoundCredentials;
  readonly policy: RetryPolicy;
  /** Sends a request (authenticating as the registry asks) and gives back any answer but a 401/403. */
  readonly send: (req: RegistryRequest) => TE.TaskEither<RegistryError, HttpResponse>;
  /** The error for an answer the caller did not expect. */
  readonly unexpected: (req: RegistryRequest, res: HttpResponse) => T.Task<RegistryError>;
  /** An absolute URL for a path or a `Location` header (relative ones are the registry's). */
  readonly resolve: (location: string) => string;
  readonly close: () => Promise<void>;
}

export interface ClientOptions {
  /** `host[:port]` as the reference names it. */
  readonly registry: string;
  readonly tlsVerify: boolean;
  readonly certDir?: string | undefined;
  readonly credentials: FoundCredentials;
  readonly policy: RetryPolicy;
  /** The repository the user named, for the messages of failures before any request about it. */
  readonly repository?: string | undefined;
}

type AuthMode = { readonly _tag: "None" } | { readonly _tag: "Basic" } | { readonly _tag: "Bearer"; readonly realm: string; readonly tokens: BearerTokens };

const USER_AGENT = "ocistage/0.1.0";
const MAX_REDIRECTS = 5;

export const pullScope = (repository: string): string => `repository:${repository}:pull`;
export const pushScope = (repository: string): string => `repository:${repository}:pull,push`;

const isRedirect = (status: number): boolean => [301, 302, 303, 307, 308].includes(status);

const makeClient = (options: ClientOptions, transport: Transport): RegistryClient & { readonly ping: () => TE.TaskEither<RegistryError, void> } => {
  const host = apiHost(options.registry);
  let mode: AuthMode = { _tag: "None" };
  const credentialText = describeCredentials(options.credentials);
  const basic = (): string | undefined =>
    options.credentials._tag === "Found" ? `Basic ${Buffer.from(`${options.credentials.credentials.username}:${options.credentials.credentials.password}`).toString("base64")}` : undefined;
  const target = (repository: string): Target => ({ registry: options.registry, repository });

  const authorization = async (scopes: readonly string[], repository: string): Promise<E.Either<RegistryError, string | undefined>> => {
    const m: AuthMode = mode;
    if (m._tag === "None") return E.right(undefined);
    if (m._tag === "Basic") return E.right(basic());
    return pipe(await m.tokens.token(scopes)(), E.map((t) => `Bearer ${t}`), E.mapLeft((e) => ({ ...e, repository: e._tag === "Credentials" || e._tag === "LocalIo" ? "" : repository }) as RegistryError));
  };

  // A 401's challenge may switch how we authenticate; true when trying again can help.
  const adopt = (res: HttpResponse, repository: string): readonly string[] | undefined => {
    const challenges = parseWwwAuthenticate(res.headers.get("www-authenticate") ?? "");
    if (E.isLeft(challenges)) return undefined;
    const bearer = bearerOf(challenges.right);
    if (bearer !== undefined) {
      if (mode._tag !== "Bearer" || mode.realm !== bearer.realm)
        mode = { _tag: "Bearer", realm: bearer.realm, tokens: makeBearerTokens(bearer, options.credentials, transport, options.policy, target(repository)) };
      return bearer.scopes;
    }
    if (offersBasic(challenges.right) && mode._tag !== "Basic" && basic() !== undefined) {
      mode = { _tag: "Basic" };
      return [];
    }
    return undefined;
  };

  const url = (u: string): string => (/^https?:\/\//.test(u) ? u : `${transport.base()}${u}`);

  // One exchange, following redirects for GET and HEAD; the registry's credentials go to its host only.
  const exchange = async (req: RegistryRequest, scopes: readonly string[]): Promise<E.Either<RegistryError, HttpResponse>> => {
    const auth = await authorization(scopes, req.repository);
    if (E.isLeft(auth)) return auth;
    let location = url(req.url);
    for (let hop = 0; ; hop++) {
      const sameHost = new URL(location).host === host;
      const headers: Record<string, string> = { "user-agent": USER_AGENT, ...req.headers, ...(sameHost && auth.right !== undefined ? { authorization: auth.right } : {}) };
      const res = await transport.request(location, { method: req.method, headers, ...(req.body === undefined ? {} : { body: req.body() }) });
      const next = res.headers.get("location");
      if (!(isRedirect(res.status) && (req.method === "GET" || req.method === "HEAD") && next !== null && hop < MAX_REDIRECTS)) return E.right(res);
      await drain(res);
      location = new URL(next, location).toString();
    }
  };

  const attempt = async (req: RegistryRequest): Promise<Attempt<HttpResponse>> => {
    let scopes = req.scopes;
    for (let reauthenticated = false; ; reauthenticated = true) {
      let res: HttpResponse;
      try {
        const exchanged = await exchange(req, scopes);
        if (E.isLeft(exchanged)) return fail(exchanged.left);
        res = exchanged.right;
      } catch (e) {
        if (isTlsVerificationError(e)) return fail({ _tag: "Tls", ...target(req.repository), reason: reasonOf(e) });
        return req.retry ? retry(reasonOf(e)) : fail({ _tag: "GaveUp", ...target(req.repository), what: req.what, attempts: 1, last: reasonOf(e) });
      }
      if (res.status === 401 && !reauthenticated) {
        const extra = adopt(res, req.repository);
        if (extra !== undefined) {
          await drain(res);
          if (mode._tag === "Bearer") mode.tokens.forget(scopes);
          scopes = [...new Set([...scopes, ...extra])];
          continue;
        }
      }
      if (res.status === 401 || res.status === 403) return fail(await responseError(target(req.repository), req.what, res, credentialText));
      if (isRetryableStatus(res.status)) {
        if (!req.retry) return fail(await responseError(target(req.repository), req.what, res, credentialText));
        await drain(res);
        return retry(`HTTP ${res.status}`, parseRetryAfter(res.headers.get("retry-after")));
      }
      return done(res);
    }
  };

  const send = (req: RegistryRequest): TE.TaskEither<RegistryError, HttpResponse> =>
    req.retry ? retrying(options.policy, target(req.repository), req.what, () => attempt(req)) : async () => {
      const result = await attempt(req);
      return result._tag === "Done" ? E.right(result.value) : result._tag === "Fail" ? E.left(result.error) : E.left({ _tag: "GaveUp", ...target(req.repository), what: req.what, attempts: 1, last: result.reason });
    };

  // Learns how the registry authenticates, without authenticating: a 401 is an answer here.
  const ping = (): TE.TaskEither<RegistryError, void> => {
    const what = "the API root /v2/";
    return retrying(options.policy, target(options.repository ?? ""), what, async (): Promise<Attempt<void>> => {
      let res: HttpResponse;
      try {
        res = await transport.request(url("/v2/"), { method: "GET", headers: { "user-agent": USER_AGENT } });
      } catch (e) {
        return isTlsVerificationError(e) ? fail({ _tag: "Tls", ...target(options.repository ?? ""), reason: reasonOf(e) }) : retry(reasonOf(e));
      }
      if (isRetryableStatus(res.status)) {
        await drain(res);
        return retry(`HTTP ${res.status}`, parseRetryAfter(res.headers.get("retry-after")));
      }
      if (res.status === 200 || res.status === 401) {
        if (res.status === 401) adopt(res, options.repository ?? "");
        await drain(res);
        return done(undefined);
      }
      return fail(await responseError(target(options.repository ?? ""), `${what} (is this a registry?)`, res, credentialText));
    });
  };

  return {
    registry: options.registry,
    credentials: options.credentials,
    policy: options.policy,
    send,
    unexpected: (req, res) => () => responseError(target(req.repository), req.what, res, credentialText),
    resolve: (location) => new URL(location, `${transport.base()}/`).toString(),
    close: transport.close,
    ping,
  };
};

/**
 * Opens a registry: TLS options (verified unless `tlsVerify` is false; `certDir` or the
 * containers certs.d folders), then `GET /v2/`, which tells how it authenticates. With
 * `tlsVerify` false, a registry that does not speak TLS at all is reached over plain HTTP, as
 * skopeo does; with TLS verified, never.
 */
export const openRegistry = (options: ClientOptions): TE.TaskEither<RegistryError, RegistryClient> => async () => {
  const host = apiHost(options.registry);
  let transport: Transport;
  try {
    transport = await makeTransport(host, await tlsOptionsFor(host, options.tlsVerify, options.certDir));
  } catch (e) {
    return E.left({ _tag: "Tls", registry: options.registry, repository: options.repository ?? "", reason: `cannot use the certificates: ${reasonOf(e)}` });
  }
  if (!options.tlsVerify) {
    const https = await transport.request(`${transport.base()}/v2/`, { method: "GET", headers: { "user-agent": USER_AGENT } }).then(drain, () => "failed" as const);
    if (https === "failed") transport.useHttp();
  }
  const client = makeClient(options, transport);
  const pinged = await client.ping()();
  if (E.isLeft(pinged)) {
    await transport.close();
    return pinged;
  }
  return E.right(client);
};
