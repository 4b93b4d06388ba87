// Which failures are retried and how long sprout waits before the next try.
import { describe, expect, it } from 'vitest';
import { ApiError, ConfigError } from '../../src/errors.js';
import { RateLimiter } from '../../src/model/rate-limiter.js';
import { isRetryable, parseRetryAfter, retryDelayMs } from '../../src/model/retry-policy.js';

const policy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxTotalWaitMs: 120_000 };

describe('retry policy', () => {
  it('retries overload, upstream failures and broken connections, not client errors or quota', () => {
    for (const status of [429, 500, 502, 503, 504]) expect(isRetryable(new ApiError('x', status, undefined))).toBe(true);
    expect(isRetryable(new ApiError('cut', undefined, 'stream_broken'))).toBe(true);
    for (const status of [400, 401, 402, 403, 404, 451]) expect(isRetryable(new ApiError('x', status, undefined))).toBe(false);
    expect(isRetryable(new ApiError('quota', 429, 'QuotaExceeded'))).toBe(false);
    expect(isRetryable(new ApiError('limit', 429, 'SetLimitExceeded'))).toBe(false);
    expect(isRetryable(new ConfigError('no key'))).toBe(false);
  });

  it('doubles the backoff per attempt within ±25% jitter and caps it', () => {
    expect(retryDelayMs(new ApiError('x', 502, undefined), 1, policy, () => 0)).toBe(750);
    expect(retryDelayMs(new ApiError('x', 502, undefined), 3, policy, () => 1)).toBe(5000);
    expect(retryDelayMs(new ApiError('x', 502, undefined), 10, policy, () => 0.5)).toBe(30_000);
  });

  it("uses the server's Retry-After, in seconds or as a date, over the backoff", () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '7' }))).toBe(7000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:12 GMT' }), now)).toBe(12_000);
    expect(retryDelayMs(new ApiError('x', 429, undefined, { retryAfterMs: 4000 }), 1, policy)).toBe(4000);
  });
});

describe('RateLimiter', () => {
  it('lets N requests through per window and makes the next one wait for the window to pass', async () => {
    const limiter = new RateLimiter(2, 300);
    const started = Date.now();
    await limiter.acquire();
    await limiter.acquire();
    expect(Date.now() - started).toBeLessThan(100);
    await limiter.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('stops waiting when its signal aborts', async () => {
    const limiter = new RateLimiter(1, 10_000);
    await limiter.acquire();
    await expect(limiter.acquire(AbortSignal.timeout(50))).rejects.toThrow();
  });
});
