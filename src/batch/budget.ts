// The batch budget (`sprout batch --max-cost`). Before a task starts, the batch adds up what is spent
// or committed: finished tasks' costs (earlier invocations of the batch included), and for running
// tasks the larger of their cost so far and their own max_cost. A task starts only if that sum plus
// the task's expected cost stays within the budget; the expected cost is its max_cost, else the
// average cost of the tasks finished so far. Tasks without a max_cost are not capped by the batch:
// the batch budget decides what starts, a task's max_cost what a task may spend.

/** What the ledger knows about one task. */
interface Entry {
  /** Spent by earlier attempts (a resumed session's cost so far) and, when running, this attempt. */
  spent: number;
  running: boolean;
  maxCost?: number;
  finished: boolean;
}

export class BatchBudget {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly limit: number | undefined) {}

  /** Record a task's cost from its state (a result from an earlier run, or nothing). */
  known(id: string, cost: number, finished: boolean): void {
    this.entries.set(id, { spent: cost, running: false, finished });
  }

  started(id: string, maxCost: number | undefined): void {
    const entry = this.entries.get(id) ?? { spent: 0, running: false, finished: false };
    this.entries.set(id, { ...entry, running: true, maxCost, finished: false });
  }

  /** A usage event of a running task: `cost` more was spent. */
  spend(id: string, cost: number): void {
    const entry = this.entries.get(id);
    if (entry) entry.spent += cost;
  }

  /** The task ended; `cost` is its result's total (it replaces the running sum). */
  ended(id: string, cost: number | undefined, finished: boolean): void {
    const entry = this.entries.get(id);
    if (entry) Object.assign(entry, { running: false, finished, spent: cost ?? entry.spent });
  }

  /** Spent so far, live costs of running tasks included. */
  spent(): number {
    let sum = 0;
    for (const entry of this.entries.values()) sum += entry.spent;
    return sum;
  }

  /** Spent plus what running tasks may still spend up to their own max_cost. */
  private committed(): number {
    let sum = 0;
    for (const entry of this.entries.values()) sum += entry.running ? Math.max(entry.spent, entry.maxCost ?? 0) : entry.spent;
    return sum;
  }

  private averageFinished(): number {
    const done = [...this.entries.values()].filter((e) => e.finished);
    return done.length === 0 ? 0 : done.reduce((sum, e) => sum + e.spent, 0) / done.length;
  }

  /** Whether a task with this max_cost may start now. */
  allows(maxCost: number | undefined): boolean {
    if (this.limit === undefined) return true;
    const committed = this.committed();
    if (committed >= this.limit) return false;
    return committed + (maxCost ?? this.averageFinished()) <= this.limit;
  }
}
