// The cost budget of a run (--max-cost): stop before a request whose estimated cost would pass it,
// and warn once when 80% is spent. Only what this run spends counts, so a resumed session gets a
// fresh budget.
import { tierFor } from '../model/cost.js';
import type { ModelProfile } from '../model/profiles.js';

/** Share of a limit (cost, turns, time) used when a run warns that it is getting close. */
export const WARN_SHARE = 0.8;
const MIN_EXPECTED_OUTPUT = 500; // tokens assumed for an answer before any were seen

export class CostBudget {
  private warned = false;
  private outputSeen = 0;
  private requests = 0;

  constructor(
    private readonly profile: ModelProfile,
    private readonly maxCost: number | undefined,
    private readonly startCost: number,
  ) {}

  /** Record a finished request's completion tokens, to expect answers of that size. */
  observe(completionTokens: number): void {
    this.outputSeen += completionTokens;
    this.requests++;
  }

  /**
   * The reason to stop before the next request, if its estimated cost would pass the budget.
   * `cachedTokens` is the part of the prompt expected to hit the cache (the previous prompt).
   * `request.outputTokens` replaces the usual guess (the average answer) for a request with a known
   * bound, such as a compaction summary, which `request.label` names in the message.
   */
  check(totalCost: number, promptTokens: number, cachedTokens: number, request: { outputTokens?: number; label?: string } = {}): string | undefined {
    if (this.maxCost === undefined) return undefined;
    const spent = totalCost - this.startCost;
    const tier = tierFor(this.profile, promptTokens);
    const output = request.outputTokens ?? Math.max(MIN_EXPECTED_OUTPUT, this.requests > 0 ? this.outputSeen / this.requests : 0);
    const cached = Math.min(cachedTokens, promptTokens);
    const next = ((promptTokens - cached) * tier.input + cached * tier.cachedInput + output * tier.output) / 1_000_000;
    if (spent + next <= this.maxCost) return undefined;
    return (
      `stopped before spending more than ${this.maxCost} ${this.profile.currency} (--max-cost): ` +
      `spent ${spent.toFixed(4)}, ${request.label ?? 'the next request'} would cost about ${next.toFixed(4)}`
    );
  }

  /** A warning the first time spending reaches 80% of the budget. */
  warning(totalCost: number): string | undefined {
    if (this.maxCost === undefined || this.warned) return undefined;
    const spent = totalCost - this.startCost;
    if (spent < WARN_SHARE * this.maxCost) return undefined;
    this.warned = true;
    return `spent ${spent.toFixed(4)} of the ${this.maxCost} ${this.profile.currency} budget (--max-cost)`;
  }
}
