// A client-side rate limiter: at most N requests start in any window of W ms, so sprout waits its
// turn instead of collecting 429s from providers that allow, say, one request per 10 s.
import { setTimeout as sleep } from 'node:timers/promises';

export class RateLimiter {
  private readonly starts: number[] = [];

  constructor(
    private readonly maxRequests: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The provider counts arrivals, not departures, and latency varies: keep a little slack. */
  private marginMs(): number {
    return Math.max(50, this.windowMs * 0.02);
  }

  /**
   * The answer to the latest request has begun, so the request has surely arrived: count its start
   * from now. Work running alongside a request (start-up, a slow first connection) can hold it between
   * acquire() and the wire; counting from the answer keeps arrivals a whole window apart anyway.
   */
  answered(): void {
    if (this.starts.length > 0) this.starts[this.starts.length - 1] = Math.max(this.starts.at(-1)!, this.now());
  }

  /** Resolve when one more request may start (and count it); rejects if `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const time = this.now();
      while (this.starts.length > 0 && time - this.starts[0]! >= this.windowMs) this.starts.shift();
      if (this.starts.length < this.maxRequests) {
        this.starts.push(time);
        return;
      }
      await sleep(this.windowMs - (time - this.starts[0]!) + this.marginMs(), undefined, { signal });
    }
  }
}
