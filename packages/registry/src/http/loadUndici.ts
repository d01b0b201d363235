import type { Agent as UndiciAgent, Dispatcher } from "undici";

/** The two parts of undici a registry client uses: its connection pools and its request API. */
export interface UndiciParts {
  readonly Agent: typeof UndiciAgent;
  /** undici's `Dispatcher.request`, called with the dispatcher as `this`; `path` includes the query. */
  readonly request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
}

/**
 * Loads undici's Agent and request API from their own files, not from undici's index: the index
 * also loads fetch, WebSocket, EventSource, mocks and cache stores, ~0.09 s of start-up for a
 * push that sends a dozen HEADs. undici has no `exports` map, so these paths are reachable; they
 * are not its documented API, which is why packages/registry pins undici's exact version and
 * the registry tests (every request goes through here) fail if a release moves them.
 */
export const loadUndici = async (): Promise<UndiciParts> => {
  const [agent, api] = await Promise.all([import("undici/lib/dispatcher/agent.js"), import("undici/lib/api/api-request.js")]);
  return { Agent: agent.default, request: api.default };
};
