/**
 * How hard to try: `attempts` tries in all (1 = no retry), waiting between them
 * `baseDelayMs·2^n` up to `maxDelayMs`, or what the registry's `Retry-After` asks if it asks
 * (seconds or an HTTP date), as long as that is at most `maxRetryAfterMs`; a registry asking for
 * more is given up on at once. `sleep` is injectable so tests count the waits instead of timing them.
 */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Five tries over about 7.5 s (0.5, 1, 2, 4 s between), honouring a Retry-After of up to a minute. */
export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000, sleep };

/**
 * A `Retry-After` value in milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110
 * §10.2.3). `undefined` for an absent or unreadable value; a date in the past is 0.
 */
export const parseRetryAfter = (value: string | null | undefined, now: number = Date.now()): number | undefined => {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

/** The wait before try `attempt + 1` (0-based `attempt` just failed), or `undefined`: give up. */
export const delayBeforeRetry = (policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number | undefined => {
  if (attempt + 1 >= policy.attempts) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : undefined;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
};
