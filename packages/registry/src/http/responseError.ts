import type { HttpResponse } from "./Transport.ts";
import type { RegistryError, Target } from "../RegistryError.ts";
import { parseRetryAfter } from "./retryPolicy.ts";

// Registries answer errors with {"errors": [{"code", "message", "detail"}]} (distribution spec);
// a body is read only this far, since a proxy may answer with a whole page.
const DETAIL_LIMIT = 64 * 1024;

/** The registry's own words for a failure: `CODE: message` per error, or the start of the body's text. */
export const errorDetail = async (res: HttpResponse): Promise<string> => {
  const text = await res.text().then((t) => t.slice(0, DETAIL_LIMIT), () => "");
  try {
    const json = JSON.parse(text) as { readonly errors?: readonly { readonly code?: unknown; readonly message?: unknown }[] };
    if (Array.isArray(json.errors) && json.errors.length > 0)
      return json.errors.map((e) => [e.code, e.message].filter((x) => typeof x === "string" && x !== "").join(": ")).join("; ");
  } catch {
    // not JSON: the text itself
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
};

/** Reads and drops a body nobody needs, so its connection returns to the pool. */
export const drain = (res: HttpResponse): Promise<void> => res.discard();

/**
 * The error for a response the caller did not expect: 401/403 name the credentials' source,
 * 404 and 413 say so, 429 and 5xx are `GaveUp` (with the Retry-After asked for), the rest `Refused`.
 */
export const responseError = async (target: Target, what: string, res: HttpResponse, credentials: string): Promise<RegistryError> => {
  const detail = await errorDetail(res);
  if (res.status === 401 || res.status === 403) return { _tag: "Unauthorized", ...target, status: res.status, what, credentials, detail };
  if (res.status === 404) return { _tag: "NotFound", ...target, what, detail };
  if (res.status === 413) return { _tag: "TooLarge", ...target, what, detail };
  if (res.status === 429 || res.status >= 500) {
    const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
    return { _tag: "GaveUp", ...target, what, attempts: 1, last: `HTTP ${res.status}${detail === "" ? "" : ` ${detail}`}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  return { _tag: "Refused", ...target, what, status: res.status, detail };
};

/** 429 and 5xx: the registry is busy or failing; worth another try. */
export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;
