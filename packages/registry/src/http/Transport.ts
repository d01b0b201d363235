import type { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import type { Dispatcher } from "undici";
import type { TlsOptions } from "./tlsOptions.ts";
import { loadUndici } from "./loadUndici.ts";

/** A request body: bytes, or a stream (a file's range) whose length the caller puts in Content-Length. */
export type HttpBody = Uint8Array | string | Readable;

export interface HttpRequest {
  readonly method: "GET" | "HEAD" | "PUT" | "POST" | "PATCH";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: HttpBody;
}

/**
 * An answer, whatever its status. Its body must be consumed (`text`, `json`, iterating `body`)
 * or `discard`ed, so the connection goes back to the pool.
 */
export interface HttpResponse {
  readonly status: number;
  readonly headers: { readonly get: (name: string) => string | null };
  readonly body: AsyncIterable<Uint8Array>;
  readonly text: () => Promise<string>;
  readonly json: () => Promise<unknown>;
  readonly discard: () => Promise<void>;
}

/**
 * The HTTP side of one registry: undici's fetch with one connection pool (keep-alive) for the
 * registry, whose TLS options (`--tls-verify`, `--cert-dir`) apply to that host only, and the
 * default, verifying one for every other host (a token realm, a storage redirect).
 */
export interface Transport {
  /** `https://host[:port]`, or `http://…` once `useHttp` chose plain HTTP. */
  readonly base: () => string;
  readonly useHttp: () => void;
  /** Sends a request to an absolute URL; throws only when no answer came (refused, reset, TLS). */
  readonly request: (url: string, init: HttpRequest) => Promise<HttpResponse>;
  /** Closes the pools, so the process can exit without waiting for idle sockets. */
  readonly close: () => Promise<void>;
}

/**
 * undici is loaded when a registry is first opened, not when the CLI starts: every other verb
 * would pay for its initialisation (~0.1 s) otherwise.
 */
export const makeTransport = async (host: string, tls: TlsOptions): Promise<Transport> => {
  // undici parses HTTP with llhttp compiled to WebAssembly. V8 then recompiles that module with
  // its optimising compiler in the background, and node waits for that work before it exits:
  // ~0.35 s added to every push or pull and ~0.15 s of CPU, for a parser whose baseline code is
  // fast enough for a registry's answers (bodies go by Content-Length, not byte by byte). Set
  // before undici compiles it; the CLI compiles no other WebAssembly.
  setFlagsFromString("--liftoff-only");
  const { Agent, request } = await loadUndici();
  let scheme: "https" | "http" = "https";
  const registryAgent: Dispatcher = new Agent({ connect: { ...tls, ca: tls.ca === undefined ? undefined : [...tls.ca] } });
  const otherAgent: Dispatcher = new Agent();
  return {
    base: () => `${scheme}://${host}`,
    useHttp: () => {
      scheme = "http";
    },
    // undici's request, not fetch: fetch's web streams cost several times the CPU per byte of a
    // streamed upload (1 GiB: ~12 s against ~2 s here).
    request: async (url, init) => {
      const target = new URL(url);
      const dispatcher = target.host === host ? registryAgent : otherAgent;
      const res = await request.call(dispatcher, { origin: target.origin, path: `${target.pathname}${target.search}`, method: init.method, headers: init.headers, body: init.body ?? null });
      const headers = res.headers;
      return {
        status: res.statusCode,
        headers: {
          get: (name) => {
            const value = headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
          },
        },
        body: res.body,
        text: () => res.body.text(),
        json: () => res.body.json(),
        discard: () => res.body.dump().then(() => undefined, () => undefined),
      };
    },
    close: async () => {
      await Promise.all([registryAgent.close(), otherAgent.close()]);
    },
  };
};

/** Codes of a TLS verification failure: not worth a retry, worth a precise message. */
const TLS_CODES = new Set([
  // A registry that speaks plain HTTP: retrying cannot help, --tls-verify=false can.
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_SIGNATURE_FAILURE",
]);

const codesOf = (e: unknown): readonly string[] => {
  const codes: string[] = [];
  for (let x: unknown = e; x instanceof Error; x = (x as { cause?: unknown }).cause) {
    const code = (x as NodeJS.ErrnoException).code;
    if (code !== undefined) codes.push(code);
  }
  return codes;
};

/** Whether a fetch failure is a certificate the client refused. */
export const isTlsVerificationError = (e: unknown): boolean => codesOf(e).some((c) => TLS_CODES.has(c));

/** The first errno-like code in a fetch failure's cause chain (`ECONNRESET`, `UND_ERR_SOCKET`, …). */
export const failureCode = (e: unknown): string | undefined => codesOf(e)[0];
