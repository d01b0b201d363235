import type * as TE from "fp-ts/lib/TaskEither.js";
import type { RegistryError, Target } from "../RegistryError.ts";
import type { RetryPolicy } from "./retryPolicy.ts";
import { delayBeforeRetry } from "./retryPolicy.ts";

/** What one try came to: a value, a failure worth another try (and after how long, if the registry said), or a final error. */
export type Attempt<A> =
  | { readonly _tag: "Done"; readonly value: A }
  | { readonly _tag: "Retry"; readonly reason: string; readonly retryAfterMs?: number | undefined }
  | { readonly _tag: "Fail"; readonly error: RegistryError };

export const done = <A>(value: A): Attempt<A> => ({ _tag: "Done", value });
export const retry = (reason: string, retryAfterMs?: number): Attempt<never> => ({ _tag: "Retry", reason, retryAfterMs });
export const fail = (error: RegistryError): Attempt<never> => ({ _tag: "Fail", error });

/**
 * Runs `attempt` until it is done or fails, at most `policy.attempts` times, waiting the policy's
 * backoff (or the registry's Retry-After) between tries. Out of tries: `GaveUp`, with the last reason.
 */
export const retrying =
  <A>(policy: RetryPolicy, target: Target, what: string, attempt: (n: number) => Promise<Attempt<A>>): TE.TaskEither<RegistryError, A> =>
  async () => {
    for (let n = 0; ; n++) {
      const result = await attempt(n);
      if (result._tag === "Done") return { _tag: "Right", right: result.value };
      if (result._tag === "Fail") return { _tag: "Left", left: result.error };
      const wait = delayBeforeRetry(policy, n, result.retryAfterMs);
      if (wait === undefined) {
        const tooLong = result.retryAfterMs !== undefined && n + 1 < policy.attempts;
        const last = tooLong ? `${result.reason}, and it asked to wait ${Math.ceil((result.retryAfterMs ?? 0) / 1000)} s, more than ${policy.maxRetryAfterMs / 1000} s` : result.reason;
        return { _tag: "Left", left: { _tag: "GaveUp", ...target, what, attempts: n + 1, last } };
      }
      await policy.sleep(wait);
    }
  };
