/** How long to wait before retrying a GitHub API response, or `undefined` when it is not worth a retry. */

export interface RetryableFailure {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
  readonly message: string;
}

export interface RetryDecision {
  readonly waitMs: number;
  readonly why: string;
}

const header = (h: RetryableFailure['headers'], name: string): string | undefined => {
  const v = h[name];
  return v === undefined ? undefined : String(v);
};

/**
 * GitHub's documented rules: `retry-after` (seconds) wins; a primary rate limit (`x-ratelimit-remaining: 0`)
 * resets at `x-ratelimit-reset` (epoch seconds); a secondary rate limit without `retry-after` waits at least a
 * minute, growing; 502/503/504 are retried with a short back-off.
 */
export function retryDelay(failure: RetryableFailure, attempt: number, now: number): RetryDecision | undefined {
  const { status, headers } = failure;
  const retryAfter = header(headers, 'retry-after');
  const secondary = /secondary rate limit|abuse/i.test(failure.message);
  if ((status === 403 || status === 429) && retryAfter !== undefined && /^\d+$/.test(retryAfter)) {
    return { waitMs: Number(retryAfter) * 1000, why: `${secondary ? 'secondary ' : ''}rate limit (retry-after ${retryAfter}s)` };
  }
  if ((status === 403 || status === 429) && header(headers, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset') ?? NaN);
    const waitMs = Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) + 1000 : 60_000;
    return { waitMs, why: `rate limit exhausted (resets at ${Number.isFinite(reset) ? new Date(reset * 1000).toISOString() : 'an unknown time'})` };
  }
  if ((status === 403 || status === 429) && secondary) {
    return { waitMs: 60_000 * 2 ** attempt, why: 'secondary rate limit' };
  }
  if (status === 502 || status === 503 || status === 504) {
    return { waitMs: 1000 * 2 ** attempt, why: `HTTP ${status}` };
  }
  return undefined;
}
