// Which provider failures are worth another try, and how long to wait before it: exponential backoff
// with jitter, or the provider's own Retry-After. Quota and balance errors are final, not transient.
import { ApiError } from '../errors.js';

/** Limits of retrying one request. */
export interface RetryPolicy {
  /** Tries after the first one. */
  maxRetries: number;
  /** First backoff wait, doubled each attempt. */
  baseDelayMs: number;
  /** Longest single wait, Retry-After included. */
  maxDelayMs: number;
  /** No retry starts later than this after the request's first attempt began (attempts count too). */
  maxTotalWaitMs: number;
}

// Ark 429 codes that mean "over quota", which waiting a minute will not fix (see doubao.md).
const FINAL_429_CODES = /QuotaExceeded|SetLimitExceeded|AccountOverdue/i;
const RETRY_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504]);

/** ApiError code of a host name that does not resolve: final, a retry would get the same answer. */
export const HOST_NOT_FOUND = 'host_not_found';

/** True for failures another attempt may fix: overload, upstream errors, lost connections, cut streams. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === HOST_NOT_FOUND) return false;
  if (error.status === undefined) return true; // connection refused/reset, timeouts, cut or stalled streams
  if (error.status === 429 && error.code && FINAL_429_CODES.test(error.code)) return false;
  return RETRY_STATUSES.has(error.status);
}

/** The wait before attempt `attempt` (1-based): Retry-After when given, else backoff with jitter. */
export function retryDelayMs(error: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const asked = error instanceof ApiError ? error.retryAfterMs : undefined;
  if (asked !== undefined) return Math.min(Math.max(asked, 0), policy.maxDelayMs);
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  const jittered = exponential * (0.75 + random() * 0.5); // ±25% so parallel clients do not retry in step
  return Math.round(Math.min(jittered, policy.maxDelayMs));
}

/** Read Retry-After (seconds or an HTTP date) or retry-after-ms from response headers. */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
