// Wrappers that make any ModelClient resilient: retries with backoff (reported as retry deltas) and a
// client-side rate limit applied to every attempt. Only complete turns leave here, so a tool call from
// a cut stream can never run.
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultRetryPolicy } from '../config/limits.js';
import { ApiError } from '../errors.js';
import type { ModelClient } from './client.js';
import type { RateLimiter } from './rate-limiter.js';
import { isRetryable, type RetryPolicy, retryDelayMs } from './retry-policy.js';

/** Retry retryable failures of `client` within `policy` (over `defaultRetryPolicy`), yielding a `retry` delta before each wait. */
export function withRetries(client: ModelClient, given: Partial<RetryPolicy> = {}): ModelClient {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...given };
  return {
    model: client.model,
    async *streamTurn(request) {
      let waited = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          return yield* client.streamTurn(request);
        } catch (error) {
          if (request.signal?.aborted || !isRetryable(error) || attempt > policy.maxRetries) throw error;
          const waitMs = retryDelayMs(error, attempt, policy);
          if (waited + waitMs > policy.maxTotalWaitMs) throw error;
          waited += waitMs;
          const status = error instanceof ApiError ? (error.status ?? null) : null;
          yield { kind: 'retry', attempt, status, waitMs, message: (error as Error).message };
          await sleep(waitMs, undefined, { signal: request.signal });
        }
      }
    },
  };
}

/** Wait for the limiter before every request `client` makes. */
export function withRateLimit(client: ModelClient, limiter: RateLimiter): ModelClient {
  return {
    model: client.model,
    async *streamTurn(request) {
      await limiter.acquire(request.signal);
      return yield* client.streamTurn(request);
    },
  };
}
