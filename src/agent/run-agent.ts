// The agent loop: ask the model, run the tool calls it returns, feed the results back, repeat until
// it stops or a limit is hit. It yields every AgentEvent and returns the RunResult (also its last event).
import { randomUUID } from 'node:crypto';
import { trackChanges } from '../../sandbox/changes.js';
import { toToolSpecs } from '../../tools/registry.js';
import { compactionThreshold } from '../context/compaction.js';
import { compactConversation } from './compact-step.js';
import { Conversation } from './conversation.js';
import type { AgentEvent, RunResult } from './events.js';
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
  // The snapshot runs while the first request is out; every tool call and the end wait for it (below).
  const changes = trackChanges(sandbox.root);
  changes.catch(() => undefined); // its error surfaces where it is awaited, not as an unhandled rejection
  const state = new RunState(options.profile, options.resume, limits.maxCost);
  const tools = toToolSpecs(options.tools);
  const toolBytes = Buffer.byteLength(JSON.stringify(tools)); // the tools do not change during a run
  const threshold = compactionThreshold(options.profile, limits.maxOutputTokens, limits.compactAtTokens);
  const conversation = new Conversation(dropSilentAnswers(options.resume?.messages ?? []));
  const opening = await openingMessages(options, conversation.messages);
  yield {
    type: 'session',
    session_id: sessionId,
    model: model.model,
    cwd: sandbox.root,
    sandbox: sandbox.kind,
    version: options.version ?? '0.0.0',
    ...options.sandboxDetails,
    ...(opening.instructionFiles.length > 0 ? { instructions: opening.instructionFiles } : {}),
  };
  yield* conversation.append(...opening.messages);

  const turns = new TurnHandler(options, clock, conversation);
  const warnings = new LimitWarnings(limits.maxTurns, limits.timeoutMs);
  let compactedFor = -1; // the turn a compaction last ran before, so it runs at most once per turn
  let outcome: Outcome | undefined;
  while (!outcome) {
    outcome = clock.reason() ?? turnLimit(state.turns - state.startTurns, limits.maxTurns);
    if (outcome) break;
    yield* warnings.check(state.turns - state.startTurns, clock.elapsedMs());
    const bytes = conversation.promptBytes(toolBytes);
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
      state.turns--; // a request that got no answer is not a turn: the result counts completed ones
      outcome = turn;
      break;
    }
    yield* state.recordTurn(turn, bytes);
    await changes; // no tool may touch a file before the starting snapshot is taken
    outcome = yield* turns.handle(turn);
  }
  clock.dispose();
  const changedFiles = await (await changes).changedFiles().catch(() => []);
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
    ...(state.servedModel ? { served_model: state.servedModel } : {}),
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    ...(outcome.verification ? { verification: outcome.verification } : {}),
  };
  yield result;
  return result;
}

function turnLimit(turns: number, maxTurns: number): Outcome | undefined {
  return turns >= maxTurns ? { status: 'limit', error: `stopped after ${turns} model requests (--max-turns ${maxTurns})` } : undefined;
}

function budgetLimit(reason: string | undefined): Outcome | undefined {
  return reason === undefined ? undefined : { status: 'limit', error: reason };
}
