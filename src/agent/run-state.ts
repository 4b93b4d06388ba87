// Small pieces of run bookkeeping: the clock and stop reasons (interrupt, timeout), usage totals.
import type { Usage } from '../model/types.js';
import type { RunStatus, UsageTotals } from './events.js';

/** Tracks elapsed time and why the run must stop: the caller's abort or the wall-clock limit. */
export class StopWatch {
  private readonly started = performance.now();
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly onAbort = (): void => this.controller.abort();

  constructor(
    private readonly external: AbortSignal | undefined,
    private readonly timeoutMs: number | undefined,
  ) {
    external?.addEventListener('abort', this.onAbort, { once: true });
    if (external?.aborted) this.controller.abort();
    if (timeoutMs !== undefined) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort();
      }, timeoutMs);
      this.timer.unref();
    }
  }

  /** Aborted on interrupt or timeout; tools and requests listen to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the run must stop now, if it must. */
  reason(): { status: RunStatus; error: string } | undefined {
    if (this.timedOut) return { status: 'limit', error: `stopped at the time limit of ${Math.round((this.timeoutMs ?? 0) / 1000)} s` };
    if (this.controller.signal.aborted) return { status: 'interrupted', error: 'the run was interrupted' };
    return undefined;
  }

  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.external?.removeEventListener('abort', this.onAbort);
  }
}

/** Usage in the snake_case shape of events. */
export function usageTotals(usage: Usage): UsageTotals {
  return {
    prompt_tokens: usage.promptTokens,
    cached_tokens: usage.cachedTokens,
    completion_tokens: usage.completionTokens,
    reasoning_tokens: usage.reasoningTokens,
  };
}
