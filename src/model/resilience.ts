// Wrappers that make any ModelClient resilient: retries with backoff (reported as retry deltas) and a
// client-side rate limit applied to every attempt. Only complete turns leave here, so a tool call from
// a cut stream can never run; a retry says how much streamed text of the failed attempt is void.
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
      const started = performance.now();
      for (let attempt = 1; ; attempt++) {
        let streamed = 0; // characters this attempt showed before it failed
        try {
          const stream = client.streamTurn(request);
          for (let next = await stream.next(); ; next = await stream.next()) {
            if (next.done) return next.value;
            if (next.value.kind !== 'retry') streamed += next.value.text.length;
            yield next.value;
          }
        } catch (error) {
          if (request.signal?.aborted || !isRetryable(error)) throw error;
          const waitMs = retryDelayMs(error, attempt, policy);
          // The bound is on elapsed time, so slow failures (timeouts) use it up as much as waits do.
          const elapsedMs = performance.now() - started;
          if (attempt > policy.maxRetries || elapsedMs + waitMs > policy.maxTotalWaitMs) throw gaveUp(error, attempt, elapsedMs);
          const status = error instanceof ApiError ? (error.status ?? null) : null;
          yield { kind: 'retry', attempt, status, waitMs, message: (error as Error).message, discardedChars: streamed };
          await sleep(waitMs, undefined, { signal: request.signal });
        }
      }
    },
  };
}

/** The last failure, saying that it was retried and for how long. */
function gaveUp(error: unknown, attempts: number, elapsedMs: number): unknown {
  if (attempts === 1 || !(error instanceof ApiError)) return error;
  const message = `${error.message} (gave up after ${attempts} attempts in ${Math.round(elapsedMs / 1000)} s)`;
  return new ApiError(message, error.status, error.code, { cause: error, retryAfterMs: error.retryAfterMs });
}

/** Wait for the limiter before every request `client` makes. */
export function withRateLimit(client: ModelClient, limiter: RateLimiter): ModelClient {
  return {
    model: client.model,
    async *streamTurn(request) {
      await limiter.acquire(request.signal);
      const stream = client.streamTurn(request);
      let done = false;
      try {
        for (let first = true; ; first = false) {
          const next = await stream.next();
          if (first) limiter.answered();
          if (next.done) {
            done = true;
            return next.value;
          }
          yield next.value;
        }
      } finally {
        // The consumer stopped early (abort, error): close the SDK stream as yield* would.
        if (!done) await stream.return(undefined as never).catch(() => undefined);
      }
    },
  };
}
