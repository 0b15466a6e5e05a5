/**
 * The retry rules of the contract (sdks/README and the client's README "Retries"): which failures are retried, and
 * how long to wait — exponential backoff with full jitter, or the server's Retry-After.
 */

/** How a failed attempt ended. */
export type Failure =
  | { kind: "status"; status: number; retryAfter: number | null }
  | { kind: "connection"; connected: boolean };

/**
 * Whether a failed attempt may be retried. `safe` calls (GET/PUT/PATCH/DELETE, and POSTs that send an
 * Idempotency-Key and return no secret) are retried on 429, 502, 503, 504 and any connection failure; the others
 * only when the request surely did not reach the server: a 429, a 503 with Retry-After, a connection never opened.
 */
export function isRetryable(failure: Failure, safe: boolean): boolean {
  if (failure.kind === "connection") return safe || !failure.connected;
  if (failure.status === 429) return true;
  if (failure.status === 503 && failure.retryAfter !== null) return true;
  return safe && (failure.status === 502 || failure.status === 503 || failure.status === 504);
}

/**
 * The delay (ms) before retry number `retry` (0 for the first retry): full jitter, a uniformly random delay between
 * 0 and min(maxDelayMs, initialDelayMs × 2^retry). `random` returns a number in [0, 1).
 */
export function backoffDelay(retry: number, initialDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * The seconds a `Retry-After` header asks to wait (RFC 9110 §10.2.3): a number of seconds, or an HTTP date (then the
 * time from `now`, at least 0). Null when absent or not readable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (/^\d+\.\d+$/.test(text)) return Number(text);
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
