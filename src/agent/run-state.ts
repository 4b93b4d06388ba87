// Run bookkeeping kept out of the loop: the clock and stop reasons (interrupt, timeout), and the
// running totals of turns, tokens, cost and the last thing the model said.
import { TokenEstimator } from '../context/estimate.js';
import { cacheSavings, requestCost } from '../model/cost.js';
import type { ModelProfile } from '../model/profiles.js';
import { addUsage, type AssistantTurn, type Usage, ZERO_USAGE } from '../model/types.js';
import { CostBudget, WARN_SHARE } from './budget.js';
import type { AgentEvent, RunStatus, UsageTotals } from './events.js';

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
    if (this.timedOut) {
      return { status: 'limit', error: `stopped at the time limit of ${Math.round((this.timeoutMs ?? 0) / 1000)} s` };
    }
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

/** Totals across the turns of a run, and the accounting that enforces its cost budget. */
export class RunState {
  turns = 0;
  cost = 0;
  /** What the prefix cache saved this run, in the profile's currency. */
  savedByCache = 0;
  finalMessage = '';
  finishReason: string | null = null;
  /** The model id the server last said answered. */
  servedModel: string | undefined;
  private usage: Usage = ZERO_USAGE;
  /** Turns before this run (a resumed session's); limits count only the turns after. */
  readonly startTurns: number;
  private readonly estimator = new TokenEstimator();
  private readonly budget: CostBudget;
  private lastPromptTokens = 0;

  constructor(
    private readonly profile: ModelProfile,
    previous: { turns: number; usage: Usage; cost: number } | undefined,
    maxCost: number | undefined,
  ) {
    this.turns = previous?.turns ?? 0;
    this.startTurns = this.turns;
    this.usage = previous?.usage ?? ZERO_USAGE;
    this.cost = previous?.cost ?? 0;
    this.budget = new CostBudget(profile, maxCost, this.cost);
  }

  /** Why the next request (of `promptBytes` bytes) must not be sent, if the budget forbids it. */
  budgetStop(promptBytes: number): string | undefined {
    return this.budget.check(this.cost, this.estimator.estimate(promptBytes), this.lastPromptTokens);
  }

  /**
   * Why a compaction summary (a new prompt of `promptBytes` bytes, so nothing cached) must not be
   * sent: its answer is priced at its full `maxTokens`, so that it cannot pass the budget either.
   */
  summaryBudgetStop(promptBytes: number, maxTokens: number): string | undefined {
    const label = 'the compaction summary the conversation needs now';
    return this.budget.check(this.cost, this.estimator.estimate(promptBytes), 0, { outputTokens: maxTokens, label });
  }

  /** Estimated prompt tokens of a prompt of `promptBytes` bytes. */
  estimatePrompt(promptBytes: number): number {
    return this.estimator.estimate(promptBytes);
  }

  /** Count a request that is not a turn (a compaction summary); returns its cost. */
  *recordSideRequest(turn: AssistantTurn, promptBytes: number): Generator<AgentEvent, number> {
    if (!turn.usage) return 0;
    const cost = requestCost(this.profile, turn.usage);
    this.usage = addUsage(this.usage, turn.usage);
    this.cost += cost;
    this.savedByCache += cacheSavings(this.profile, turn.usage);
    this.estimator.observe(promptBytes, turn.usage.promptTokens);
    this.lastPromptTokens = 0; // the compacted prompt is new to the provider's cache
    yield { type: 'usage', ...usageTotals(turn.usage), cost, purpose: 'compaction' };
    return cost;
  }

  /** Count a finished turn (sent as `promptBytes`) and yield its usage and assistant events. */
  *recordTurn(turn: AssistantTurn, promptBytes: number): Generator<AgentEvent> {
    this.finishReason = turn.finishReason;
    if (turn.model) this.servedModel = turn.model;
    if (turn.usage) {
      const cost = requestCost(this.profile, turn.usage);
      this.usage = addUsage(this.usage, turn.usage);
      this.cost += cost;
      this.savedByCache += cacheSavings(this.profile, turn.usage);
      this.estimator.observe(promptBytes, turn.usage.promptTokens);
      this.budget.observe(turn.usage.completionTokens);
      this.lastPromptTokens = turn.usage.promptTokens;
      yield { type: 'usage', ...usageTotals(turn.usage), cost };
      const warning = this.budget.warning(this.cost);
      if (warning) yield { type: 'warning', message: warning };
    } else {
      yield { type: 'warning', message: 'the server reported no token usage for this request' };
    }
    if (turn.content !== '') this.finalMessage = turn.content;
    if (turn.content !== '' || turn.reasoning !== '') {
      yield { type: 'assistant', text: turn.content, ...(turn.reasoning ? { reasoning: turn.reasoning } : {}) };
    }
  }

  usageTotals(): UsageTotals {
    return usageTotals(this.usage);
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


/** Warns once each when a run has used 80% of its turns or of its time. */
export class LimitWarnings {
  private turnsWarned = false;
  private timeWarned = false;

  constructor(
    private readonly maxTurns: number,
    private readonly timeoutMs: number | undefined,
  ) {}

  *check(turnsUsed: number, elapsedMs: number): Generator<AgentEvent> {
    if (!this.turnsWarned && this.maxTurns >= 5 && turnsUsed >= Math.ceil(this.maxTurns * WARN_SHARE)) {
      this.turnsWarned = true;
      yield { type: 'warning', message: `used ${turnsUsed} of ${this.maxTurns} model requests (--max-turns)` };
    }
    if (!this.timeWarned && this.timeoutMs !== undefined && elapsedMs >= this.timeoutMs * WARN_SHARE) {
      this.timeWarned = true;
      yield { type: 'warning', message: `used ${Math.round(elapsedMs / 1000)} s of the ${Math.round(this.timeoutMs / 1000)} s time limit (--timeout)` };
    }
  }
}
