// Catching a model stuck in a loop: the same tool calls with the same arguments, turn after turn.
// At the limit the model is told so in the tool result; if it still repeats, the run stops.
import type { ToolCall } from '../model/types.js';

export type RepeatVerdict = 'ok' | 'warn' | 'stop';

export class RepeatGuard {
  private last = '';
  private count = 0;

  /** @param limit identical turns in a row that earn a warning; one more stops the run. */
  constructor(private readonly limit: number) {}

  /** Judge a turn's calls against the turns before it. */
  check(calls: readonly ToolCall[]): RepeatVerdict {
    const signature = JSON.stringify(calls.map((c) => [c.name, normalizeArguments(c.arguments)]));
    this.count = signature === this.last ? this.count + 1 : 1;
    this.last = signature;
    if (this.count > this.limit) return 'stop';
    return this.count === this.limit ? 'warn' : 'ok';
  }

  get repeats(): number {
    return this.count;
  }
}

/** Arguments compared by meaning: key order and spacing do not make a call different. */
function normalizeArguments(raw: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(raw)));
  } catch {
    return raw;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** What the model is told when it repeats itself. */
export function repeatWarning(times: number): string {
  return (
    `\n\nNote from sprout: you have made exactly this call ${times} times in a row. Repeating it will ` +
    'not give a different result; change your approach. One more identical call stops the run.'
  );
}
