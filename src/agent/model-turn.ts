// One request to the model, as the loop needs it: deltas and retries turned into events, and every
// failure returned as data (an outcome, or 'overflow' when the prompt was too long) instead of thrown.
import { isContextOverflow } from '../context/compaction.js';
import type { ModelClient, ModelRequest } from '../model/client.js';
import type { AssistantTurn } from '../model/types.js';
import type { AgentEvent, LimitKind, RunStatus, Verification } from './events.js';
import type { Proof } from './proof-verdict.js';
import type { StopWatch } from './run-state.js';

/** How a run ends: its status, what stopped it, the last verification and proof if they ran. */
export type Outcome = {
  status: RunStatus;
  error?: string;
  verification?: Verification;
  proof?: Proof;
  limit?: LimitKind;
  structured_output?: unknown;
  structured_output_errors?: string[];
};

/** Stream one model turn, yielding its deltas and retries as events. */
export async function* requestTurn(
  model: ModelClient,
  request: Omit<ModelRequest, 'signal'>,
  clock: StopWatch,
  options: { showText: boolean } = { showText: true },
): AsyncGenerator<AgentEvent, AssistantTurn | Outcome | 'overflow'> {
  try {
    const stream = model.streamTurn({ ...request, signal: clock.signal });
    let next = await stream.next();
    while (!next.done) {
      const delta = next.value;
      if (delta.kind === 'retry') {
        const discarded = options.showText && delta.discardedChars ? { discarded_chars: delta.discardedChars } : {};
        yield { type: 'retry', attempt: delta.attempt, status: delta.status, wait_ms: delta.waitMs, message: delta.message, ...discarded };
      } else if (options.showText) {
        yield { type: delta.kind === 'text' ? 'text_delta' : 'reasoning_delta', text: delta.text };
      }
      next = await stream.next();
    }
    return next.value;
  } catch (error) {
    const stopped = clock.reason();
    if (stopped) return stopped;
    if (isContextOverflow(error)) return 'overflow';
    const message = error instanceof Error ? error.message : String(error);
    yield { type: 'error', message };
    return { status: 'error', error: message };
  }
}
