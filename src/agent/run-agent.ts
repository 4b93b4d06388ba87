// The agent loop: ask the model, run the tool calls it returns, feed the results back, repeat until
// it stops or a limit is hit. It yields every AgentEvent and returns the RunResult (also its last event).
import { randomUUID } from 'node:crypto';
import { trackChanges } from '../../sandbox/changes.js';
import type { Tool, ToolContext } from '../../tools/define-tool.js';
import { FileHistory } from '../../tools/file-history.js';
import { toToolSpecs } from '../../tools/registry.js';
import { compactionThreshold } from '../context/compaction.js';
import { promptBytes } from '../context/estimate.js';
import type { AssistantTurn } from '../model/types.js';
import { compactConversation } from './compact-step.js';
import { Conversation } from './conversation.js';
import type { AgentEvent, RunResult } from './events.js';
import { openingMessages } from './history.js';
import { type Outcome, requestTurn } from './model-turn.js';
import type { AgentOptions } from './options.js';
import { RepeatGuard, repeatWarning } from './repeat-guard.js';
import { RunState, StopWatch } from './run-state.js';
import { type BatchOptions, runTools } from './tool-batch.js';

const CONTINUE_PROMPT =
  'Your last answer was cut off by the output limit. Continue where you stopped; keep each tool ' +
  "call's arguments short (split a big file into several edits).";

/** Run one task to the end. */
export async function* runAgent(options: AgentOptions): AsyncGenerator<AgentEvent, RunResult> {
  const { limits, sandbox, model } = options;
  const sessionId = options.sessionId ?? randomUUID();
  const clock = new StopWatch(options.signal, limits.timeoutMs);
  const changes = await trackChanges(sandbox.root);
  const state = new RunState(options.profile, options.resume, limits.maxCost);
  const tools = toToolSpecs(options.tools);
  const threshold = compactionThreshold(options.profile, limits.maxOutputTokens, limits.compactAtTokens);
  const conversation = new Conversation(options.resume?.messages ?? []);
  yield {
    type: 'session',
    session_id: sessionId,
    model: model.model,
    cwd: sandbox.root,
    sandbox: sandbox.kind,
    version: options.version ?? '0.0.0',
    ...options.sandboxDetails,
  };
  yield* conversation.append(...(await openingMessages(options)));

  const turns = new TurnHandler(options, clock, conversation);
  let compactedFor = -1; // the turn a compaction last ran before, so it runs at most once per turn
  let outcome: Outcome | undefined;
  while (!outcome) {
    const bytes = promptBytes(conversation.messages, tools);
    if (state.estimatePrompt(bytes) > threshold && compactedFor !== state.turns) {
      compactedFor = state.turns;
      const compacted = yield* compactConversation(conversation.messages, tools, 'threshold', threshold, model, state, clock);
      if (compacted) conversation.replace(compacted);
      continue;
    }
    outcome = clock.reason() ?? turnLimit(state.turns - state.startTurns, limits.maxTurns) ?? budgetLimit(state.budgetStop(bytes));
    if (outcome) break;
    state.turns++;
    const turn = yield* requestTurn(model, { messages: conversation.messages, tools, maxTokens: limits.maxOutputTokens }, clock);
    if (turn === 'overflow') {
      // The provider counts differently from the estimate: compact once, then try the turn again.
      const compacted = compactedFor === state.turns - 1 ? undefined : yield* compactConversation(conversation.messages, tools, 'context_length', threshold, model, state, clock);
      compactedFor = state.turns - 1;
      if (compacted) conversation.replace(compacted);
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
    cost: { amount: state.cost, currency: options.profile.currency },
    session_id: sessionId,
    sandbox: sandbox.kind,
    changed_files: changedFiles,
    final_message: state.finalMessage,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  };
  yield result;
  return result;
}

/** What follows a completed turn: run its tools, ask to continue, or end the run. */
class TurnHandler {
  private readonly repeats: RepeatGuard;
  private readonly batch: BatchOptions;
  private continuations = 0;

  constructor(
    private readonly options: AgentOptions,
    clock: StopWatch,
    private readonly conversation: Conversation,
  ) {
    const { limits, sandbox, tools } = options;
    this.repeats = new RepeatGuard(limits.maxRepeatedCalls);
    const history = new FileHistory(sandbox);
    this.batch = {
      tools: new Map<string, Tool>(tools.map((t) => [t.name, t])),
      ctx: { sandbox: history.recording(), history, signal: clock.signal, cwd: sandbox.root, limits, gitAuthor: options.gitAuthor } satisfies ToolContext,
      concurrency: limits.toolConcurrency,
      output: { outputLimitBytes: limits.toolOutputBytes, spill: options.spill },
    };
  }

  /** Returns the run's outcome when this turn ends it. */
  async *handle(turn: AssistantTurn): AsyncGenerator<AgentEvent, Outcome | undefined> {
    // A turn cut off by the length limit may hold half-written tool calls: never run those.
    const calls = turn.finishReason === 'length' ? [] : turn.toolCalls;
    yield* this.conversation.appendAssistant(turn.content, calls);
    if (turn.finishReason !== 'length') this.continuations = 0;
    if (calls.length > 0) {
      const verdict = this.repeats.check(calls);
      if (verdict === 'stop') {
        yield* this.conversation.append(...calls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: 'Error: not run; the run was stopped because this call kept repeating.' })));
        return { status: 'limit', error: `stopped: the model repeated the same tool calls ${this.repeats.repeats} times in a row` };
      }
      const results = yield* runTools(calls, this.batch);
      if (verdict === 'warn') results.at(-1)!.content += repeatWarning(this.repeats.repeats);
      yield* this.conversation.append(...results);
      return undefined;
    }
    if (turn.finishReason === 'length') {
      if (this.continuations++ >= this.options.limits.maxContinuations) {
        return { status: 'error', error: `the model hit the output limit ${this.continuations} times in a row` };
      }
      yield* this.conversation.append({ role: 'user', content: CONTINUE_PROMPT });
      return undefined;
    }
    if (turn.finishReason === 'content_filter') return { status: 'error', error: 'the provider stopped the answer with its content filter' };
    return { status: 'success' };
  }
}

function turnLimit(turns: number, maxTurns: number): Outcome | undefined {
  return turns >= maxTurns ? { status: 'limit', error: `stopped after ${turns} model requests (--max-turns ${maxTurns})` } : undefined;
}

function budgetLimit(reason: string | undefined): Outcome | undefined {
  return reason === undefined ? undefined : { status: 'limit', error: reason };
}
