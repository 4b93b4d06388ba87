// Compacting the conversation in the middle of a run: ask the model for a summary of the older
// turns, count that request's cost, and report the compaction as an event.
import { cachedSummaryRequest, compactedHistory, hasCachePrice, planCompaction, summaryRequest } from '../context/compaction.js';
import { promptBytes } from '../context/estimate.js';
import type { ModelClient, ModelRequest } from '../model/client.js';
import type { ChatMessage } from '../model/types.js';
import type { AgentEvent } from './events.js';
import { requestTurn } from './model-turn.js';
import type { RunState, StopWatch } from './run-state.js';

const SUMMARY_MAX_TOKENS = 4096;
/** Share of the prompt the summarised part must have for a compaction to be worth its request. */
const MIN_MIDDLE_SHARE = 0.25;

/**
 * Returns the compacted conversation, undefined when there was nothing to compact or it failed, or
 * the reason to stop when the summary request would pass the cost budget (it is then not sent).
 */
export async function* compactConversation(
  messages: readonly ChatMessage[],
  tools: readonly unknown[],
  reason: 'threshold' | 'context_length',
  threshold: number,
  model: ModelClient,
  state: RunState,
  clock: StopWatch,
): AsyncGenerator<AgentEvent, ChatMessage[] | { budgetStop: string } | undefined> {
  // Recent turns are kept while they stay within a quarter of the threshold.
  const plan = planCompaction(messages, (tail) => state.estimatePrompt(promptBytes(tail, [])) <= threshold / 4);
  if (!plan) return undefined;
  const tokensBefore = state.estimatePrompt(promptBytes(messages, tools));
  // Summarising a small middle costs a request and the cache for little room: wait until it grows.
  // When the provider refused the prompt as too long, any room helps.
  const small = state.estimatePrompt(promptBytes(plan.middle, [])) < tokensBefore * MIN_MIDDLE_SHARE;
  if (small && reason === 'threshold') return undefined;
  // With a cache price, continuing the cached conversation is about as cheap as a short transcript
  // and loses nothing; without one (or after the provider refused the prompt as too long), a transcript.
  const cached = reason === 'threshold' && hasCachePrice(state.profile);
  const request = cached ? cachedSummaryRequest(messages, plan) : summaryRequest(plan);
  const requestTools = cached ? tools : [];
  const budgetStop = state.summaryBudgetStop(promptBytes(request, requestTools), SUMMARY_MAX_TOKENS, cached);
  if (budgetStop) return { budgetStop };
  const summaryCall = { messages: request, tools: requestTools as ModelRequest['tools'], maxTokens: SUMMARY_MAX_TOKENS, ...(cached ? { toolChoice: 'none' as const } : {}) };
  const turn = yield* requestTurn(model, summaryCall, clock, { showText: false });
  if (turn === 'overflow' || 'status' in turn || turn.content.trim() === '') {
    yield { type: 'warning', message: 'compaction failed: the model gave no summary; continuing without it' };
    return undefined;
  }
  const cost = yield* state.recordSideRequest(turn, promptBytes(request, requestTools));
  const compacted = compactedHistory(plan, turn.content);
  const tokensAfter = state.estimatePrompt(promptBytes(compacted, tools));
  yield {
    type: 'compaction',
    reason,
    tokens_before: tokensBefore,
    tokens_after: tokensAfter,
    summarized_messages: plan.middle.length,
    cost,
  };
  yield { type: 'history', messages: compacted };
  return compacted;
}
