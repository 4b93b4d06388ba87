// The agent loop: ask the model, run the tool calls it returns, feed the results back, repeat until
// it stops or a limit is hit. It yields every AgentEvent and returns the RunResult (also its last event).
import { randomUUID } from 'node:crypto';
import { trackChanges } from '../../sandbox/changes.js';
import { promptBytes } from '../context/estimate.js';
import type { Tool, ToolContext } from '../../tools/define-tool.js';
import { toToolSpecs, type ToolSpec } from '../../tools/registry.js';
import type { ModelClient } from '../model/client.js';
import type { AssistantTurn, ChatMessage, ToolCall } from '../model/types.js';
import type { AgentEvent, RunResult, RunStatus } from './events.js';
import type { AgentOptions } from './options.js';
import { RunState, StopWatch } from './run-state.js';
import { resumeMessages } from './history.js';
import { RepeatGuard, repeatWarning } from './repeat-guard.js';
import { buildSystemPrompt, capAgentsMd } from './system-prompt.js';
import { runToolBatch, type BatchOptions } from './tool-batch.js';

const CONTINUE_PROMPT =
  'Your last answer was cut off by the output limit. Continue where you stopped; keep each tool ' +
  "call's arguments short (split a big file into several edits).";

type Outcome = { status: RunStatus; error?: string };

/** Run one task to the end. */
export async function* runAgent(options: AgentOptions): AsyncGenerator<AgentEvent, RunResult> {
  const { limits, sandbox } = options;
  const sessionId = options.sessionId ?? randomUUID();
  const clock = new StopWatch(options.signal, limits.timeoutMs);
  const changes = await trackChanges(sandbox.root);
  const state = new RunState(options.profile, options.resume, limits.maxCost);
  const toolSpecs = toToolSpecs(options.tools);
  const batch: BatchOptions = {
    tools: new Map<string, Tool>(options.tools.map((t) => [t.name, t])),
    ctx: { sandbox, signal: clock.signal, cwd: sandbox.root, limits } satisfies ToolContext,
    concurrency: limits.toolConcurrency,
    outputLimitBytes: limits.toolOutputBytes,
  };
  const messages: ChatMessage[] = options.resume ? [...options.resume.messages] : [];
  const opening = options.resume
    ? resumeMessages(messages, options.task)
    : [{ role: 'system', content: await systemPrompt(options) } as const, { role: 'user', content: requireTask(options.task) } as const];
  yield {
    type: 'session',
    session_id: sessionId,
    model: options.model.model,
    cwd: sandbox.root,
    sandbox: sandbox.kind,
    version: options.version ?? '0.0.0',
  };

  yield* append(messages, ...opening);
  const repeats = new RepeatGuard(limits.maxRepeatedCalls);
  let continuations = 0;
  let outcome: Outcome | undefined;
  while (!outcome) {
    const bytes = promptBytes(messages, toolSpecs);
    const overBudget = state.budgetStop(bytes);
    outcome = clock.reason() ?? turnLimit(state.turns - state.startTurns, limits.maxTurns);
    if (!outcome && overBudget) outcome = { status: 'limit', error: overBudget };
    if (outcome) break;
    state.turns++;
    const turn = yield* requestTurn(options.model, messages, toolSpecs, limits.maxOutputTokens, clock);
    if ('status' in turn) {
      outcome = turn;
      break;
    }
    yield* state.recordTurn(turn, bytes);
    // A turn cut off by the length limit may hold half-written tool calls: never run those.
    const calls = turn.finishReason === 'length' ? [] : turn.toolCalls;
    if (turn.finishReason !== 'length') continuations = 0;
    yield* append(messages, assistantMessage(turn.content, calls));
    const verdict = calls.length > 0 ? repeats.check(calls) : 'ok';
    if (verdict === 'stop') {
      outcome = { status: 'limit', error: `stopped: the model repeated the same tool calls ${repeats.repeats} times in a row` };
      yield* append(messages, ...calls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: 'Error: not run; the run was stopped because this call kept repeating.' })));
    } else if (calls.length > 0) {
      const results = yield* runTools(calls, batch);
      if (verdict === 'warn') results.at(-1)!.content += repeatWarning(repeats.repeats);
      yield* append(messages, ...results);
    } else if (turn.finishReason === 'length') {
      if (continuations++ >= limits.maxContinuations) {
        outcome = { status: 'error', error: `the model hit the output limit ${continuations} times in a row` };
      }
      yield* append(messages, { role: 'user', content: CONTINUE_PROMPT });
    } else if (turn.finishReason === 'content_filter') {
      outcome = { status: 'error', error: 'the provider stopped the answer with its content filter' };
    } else {
      outcome = { status: 'success' };
    }
  }
  clock.dispose();
  const result: RunResult = {
    type: 'result',
    status: outcome.status,
    finish_reason: state.finishReason,
    num_turns: state.turns,
    duration_ms: clock.elapsedMs(),
    usage: state.usageTotals(),
    cost: { amount: state.cost, currency: options.profile.currency },
    session_id: sessionId,
    changed_files: await changes.changedFiles().catch(() => []),
    final_message: state.finalMessage,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  };
  yield result;
  return result;
}

/** Add messages to the conversation, announcing each for the session store. */
function* append(messages: ChatMessage[], ...added: ChatMessage[]): Generator<AgentEvent> {
  for (const message of added) {
    messages.push(message);
    yield { type: 'message', message };
  }
}

function requireTask(task: string | undefined): string {
  if (!task?.trim()) throw new Error('runAgent needs a task unless it resumes a session');
  return task;
}

function turnLimit(turns: number, maxTurns: number): Outcome | undefined {
  return turns >= maxTurns ? { status: 'limit', error: `stopped after ${turns} model requests (--max-turns ${maxTurns})` } : undefined;
}

/** Stream one model turn, yielding its deltas; a failure comes back as an outcome, not a throw. */
async function* requestTurn(
  model: ModelClient,
  messages: ChatMessage[],
  tools: ToolSpec[],
  maxTokens: number,
  clock: StopWatch,
): AsyncGenerator<AgentEvent, AssistantTurn | Outcome> {
  try {
    const stream = model.streamTurn({ messages, tools, maxTokens, signal: clock.signal });
    let next = await stream.next();
    while (!next.done) {
      const delta = next.value;
      if (delta.kind === 'retry') {
        yield { type: 'retry', attempt: delta.attempt, status: delta.status, wait_ms: delta.waitMs, message: delta.message };
      } else {
        yield { type: delta.kind === 'text' ? 'text_delta' : 'reasoning_delta', text: delta.text };
      }
      next = await stream.next();
    }
    return next.value;
  } catch (error) {
    const stopped = clock.reason();
    if (stopped) return stopped;
    const message = error instanceof Error ? error.message : String(error);
    yield { type: 'error', message };
    return { status: 'error', error: message };
  }
}

/** Run a turn's tool calls; returns one tool message per call, in the model's order. */
async function* runTools(calls: ToolCall[], batch: BatchOptions): AsyncGenerator<AgentEvent, Array<ChatMessage & { role: 'tool' }>> {
  for (const call of calls) yield { type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments };
  const outputs: string[] = new Array(calls.length);
  for await (const [index, result] of runToolBatch(calls, batch)) {
    const call = calls[index]!;
    outputs[index] = result.output;
    yield { type: 'tool_result', id: call.id, name: call.name, ok: result.ok, output: result.output, duration_ms: result.durationMs };
  }
  return calls.map((call, i) => ({ role: 'tool', tool_call_id: call.id, content: outputs[i] ?? '' }));
}

function assistantMessage(content: string, calls: ToolCall[]): ChatMessage {
  const toolCalls = calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
  return { role: 'assistant', content: content === '' ? null : content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
}

async function systemPrompt(options: AgentOptions): Promise<string> {
  const { sandbox } = options;
  const agentsMd = (await sandbox.exists('AGENTS.md'))
    ? capAgentsMd((await sandbox.readFile('AGENTS.md')).toString('utf8'), options.limits.agentsMdBytes)
    : undefined;
  return buildSystemPrompt({
    cwd: sandbox.root,
    toolNames: options.tools.map((t) => t.name),
    sandboxNote: options.sandboxNote ?? (sandbox.kind === 'bwrap' ? 'a sandbox' : 'the host, without a sandbox'),
    agentsMd,
  });
}
