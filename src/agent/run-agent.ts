// The agent loop: ask the model, run the tool calls it returns, feed the results back, repeat until
// it stops or a limit is hit. It yields every AgentEvent and returns the RunResult (also its last event).
import { randomUUID } from 'node:crypto';
import { trackChanges } from '../../sandbox/changes.js';
import { toToolSpecs } from '../../tools/registry.js';
import { compactionThreshold } from '../context/compaction.js';
import { promptBytes } from '../context/estimate.js';
import { compactConversation } from './compact-step.js';
import { Conversation } from './conversation.js';
import type { AgentEvent, RunResult } from './events.js';
import { buildEvidence } from './evidence.js';
import { dropSilentAnswers, openingMessages } from './history.js';
import { type Outcome, requestTurn } from './model-turn.js';
import type { AgentOptions } from './options.js';
import { LimitWarnings, RunState, StopWatch } from './run-state.js';
import { TurnHandler } from './turn-handler.js';

/** Run one task to the end. */
export async function* runAgent(options: AgentOptions): AsyncGenerator<AgentEvent, RunResult> {
  const { limits, sandbox, model } = options;
  const sessionId = options.sessionId ?? randomUUID();
  const clock = new StopWatch(options.signal, limits.timeoutMs);
  const changes = await trackChanges(sandbox.root);
  const state = new RunState(options.profile, options.resume, limits.maxCost);
  const tools = toToolSpecs(options.tools);
  const threshold = compactionThreshold(options.profile, limits.maxOutputTokens, limits.compactAtTokens);
  const conversation = new Conversation(dropSilentAnswers(options.resume?.messages ?? []));
  yield {
    type: 'session',
    session_id: sessionId,
    model: model.model,
    cwd: sandbox.root,
    sandbox: sandbox.kind,
    version: options.version ?? '0.0.0',
    ...options.sandboxDetails,
  };
  yield* conversation.append(...(await openingMessages(options, conversation.messages)));

  const turns = new TurnHandler(options, clock, conversation);
  const warnings = new LimitWarnings(limits.maxTurns, limits.timeoutMs);
  let compactedFor = -1; // the turn a compaction last ran before, so it runs at most once per turn
  let outcome: Outcome | undefined;
  while (!outcome) {
    outcome = clock.reason() ?? turnLimit(state.turns - state.startTurns, limits.maxTurns);
    if (outcome) break;
    yield* warnings.check(state.turns - state.startTurns, clock.elapsedMs());
    const bytes = promptBytes(conversation.messages, tools);
    if (state.estimatePrompt(bytes) > threshold && compactedFor !== state.turns) {
      compactedFor = state.turns;
      const compacted = yield* compactConversation(conversation.messages, tools, 'threshold', threshold, model, state, clock);
      if (Array.isArray(compacted)) conversation.replace(compacted);
      else if (compacted) outcome = budgetLimit(compacted.budgetStop);
      continue;
    }
    outcome = budgetLimit(state.budgetStop(bytes));
    if (outcome) break;
    state.turns++;
    const turn = yield* requestTurn(model, { messages: conversation.messages, tools, maxTokens: turns.maxTokens }, clock);
    if (turn === 'overflow') {
      // The provider counts differently from the estimate: compact once, then try the turn again.
      const compacted = compactedFor === state.turns - 1 ? undefined : yield* compactConversation(conversation.messages, tools, 'context_length', threshold, model, state, clock);
      compactedFor = state.turns - 1;
      if (Array.isArray(compacted)) conversation.replace(compacted);
      else if (compacted) outcome = budgetLimit(compacted.budgetStop);
      else outcome = { status: 'error', error: 'the conversation is longer than the model accepts, and compacting it did not help' };
      continue;
    }
    if ('status' in turn) {
      outcome = turn;
      break;
    }
    yield* state.recordTurn(turn, bytes);
    outcome = yield* turns.handle(turn);
  }
  clock.dispose();
  const changedFiles = await changes.changedFiles().catch(() => []);
  if (outcome.status === 'success' && options.requireChanges && changedFiles.length === 0) {
    outcome = { status: 'error', error: 'the model finished without changing any file, but the task asked for a fix' };
  }
  const result: RunResult = {
    type: 'result',
    status: outcome.status,
    finish_reason: state.finishReason,
    num_turns: state.turns,
    duration_ms: clock.elapsedMs(),
    usage: state.usageTotals(),
    cost: { amount: state.cost, currency: options.profile.currency, saved_by_cache: state.savedByCache },
    session_id: sessionId,
    sandbox: sandbox.kind,
    changed_files: changedFiles,
    final_message: state.finalMessage,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    ...(outcome.verification ? { verification: outcome.verification } : {}),
  };
  if (outcome.proof) {
    const sandboxFacts = { kind: sandbox.kind, ...options.sandboxDetails };
    result.evidence = buildEvidence(outcome.proof, { requestedModel: model.model, servedModel: state.servedModel, numTurns: state.turns, usage: result.usage, cost: { amount: state.cost, currency: options.profile.currency }, sandbox: sandboxFacts });
  }
  yield result;
  return result;
}

function turnLimit(turns: number, maxTurns: number): Outcome | undefined {
  return turns >= maxTurns ? { status: 'limit', error: `stopped after ${turns} model requests (--max-turns ${maxTurns})` } : undefined;
}

function budgetLimit(reason: string | undefined): Outcome | undefined {
  return reason === undefined ? undefined : { status: 'limit', error: reason };
}
