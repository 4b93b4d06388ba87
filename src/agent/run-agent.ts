// The agent loop: ask the model, run the tool calls it returns, feed the results back, repeat until
// it stops or a limit is hit. It yields every AgentEvent and returns the RunResult (also its last event).
import { randomUUID } from 'node:crypto';
import { trackChanges } from '../../sandbox/changes.js';
import type { Tool, ToolContext } from '../../tools/define-tool.js';
import { toToolSpecs } from '../../tools/registry.js';
import { requestCost } from '../model/cost.js';
import { addUsage, type AssistantTurn, type ChatMessage, ZERO_USAGE } from '../model/types.js';
import type { AgentEvent, RunResult, RunStatus } from './events.js';
import type { AgentOptions } from './options.js';
import { buildSystemPrompt, capAgentsMd } from './system-prompt.js';
import { runToolBatch } from './tool-batch.js';
import { StopWatch, usageTotals } from './run-state.js';

const CONTINUE_PROMPT =
  'Your last answer was cut off by the output limit. Continue where you stopped; keep each tool ' +
  "call's arguments short (split a big file into several edits).";

/** Run one task to the end. */
export async function* runAgent(options: AgentOptions): AsyncGenerator<AgentEvent, RunResult> {
  const { limits, sandbox, profile } = options;
  const sessionId = options.sessionId ?? randomUUID();
  const stop = new StopWatch(options.signal, limits.timeoutMs);
  const changes = await trackChanges(sandbox.root);
  const toolMap = new Map<string, Tool>(options.tools.map((t) => [t.name, t]));
  const toolSpecs = toToolSpecs(options.tools);
  const ctx: ToolContext = { sandbox, signal: stop.signal, cwd: sandbox.root, limits };
  const messages: ChatMessage[] = [
    { role: 'system', content: await systemPrompt(options) },
    { role: 'user', content: options.task },
  ];
  let usage = ZERO_USAGE;
  let cost = 0;
  let turns = 0;
  let continuations = 0;
  let finalMessage = '';
  let finishReason: string | null = null;

  yield { type: 'session', session_id: sessionId, model: options.model.model, cwd: sandbox.root, sandbox: sandbox.kind, version: options.version ?? '0.0.0' };

  const finish = async (status: RunStatus, error?: string): Promise<RunResult> => {
    stop.dispose();
    return {
      type: 'result', status, finish_reason: finishReason, num_turns: turns, duration_ms: stop.elapsedMs(),
      usage: usageTotals(usage), cost: { amount: cost, currency: profile.currency }, session_id: sessionId,
      changed_files: await changes.changedFiles().catch(() => []), final_message: finalMessage,
      ...(error === undefined ? {} : { error }),
    };
  };

  let outcome: { status: RunStatus; error?: string };
  for (;;) {
    const stopped = stop.reason();
    if (stopped) { outcome = stopped; break; }
    if (turns >= limits.maxTurns) {
      outcome = { status: 'limit', error: `stopped after ${turns} model requests (--max-turns ${limits.maxTurns})` };
      break;
    }
    turns++;
    let turn: AssistantTurn;
    try {
      const stream = options.model.streamTurn({ messages, tools: toolSpecs, maxTokens: limits.maxOutputTokens, signal: stop.signal });
      let next = await stream.next();
      while (!next.done) {
        yield next.value.kind === 'text' ? { type: 'text_delta', text: next.value.text } : { type: 'reasoning_delta', text: next.value.text };
        next = await stream.next();
      }
      turn = next.value;
    } catch (error) {
      outcome = stop.reason() ?? { status: 'error', error: error instanceof Error ? error.message : String(error) };
      if (outcome.status === 'error') yield { type: 'error', message: outcome.error ?? 'unknown error' };
      break;
    }
    finishReason = turn.finishReason;
    if (turn.usage) {
      const requestCostAmount = requestCost(profile, turn.usage);
      usage = addUsage(usage, turn.usage);
      cost += requestCostAmount;
      yield { type: 'usage', ...usageTotals(turn.usage), cost: requestCostAmount };
    } else {
      yield { type: 'warning', message: 'the server reported no token usage for this request' };
    }
    if (turn.content !== '' || turn.reasoning !== '') {
      if (turn.content !== '') finalMessage = turn.content;
      yield { type: 'assistant', text: turn.content, ...(turn.reasoning ? { reasoning: turn.reasoning } : {}) };
    }
    // A turn cut off by the length limit may hold half-written tool calls: never run those.
    const calls = turn.finishReason === 'length' ? [] : turn.toolCalls;
    messages.push({
      role: 'assistant',
      content: turn.content === '' ? null : turn.content,
      ...(calls.length > 0
        ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }
        : {}),
    });
    if (calls.length > 0) {
      for (const call of calls) yield { type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments };
      const outputs: string[] = new Array(calls.length);
      for await (const [index, result] of runToolBatch(calls, { tools: toolMap, ctx, concurrency: limits.toolConcurrency, outputLimitBytes: limits.toolOutputBytes })) {
        const call = calls[index]!;
        outputs[index] = result.output;
        yield { type: 'tool_result', id: call.id, name: call.name, ok: result.ok, output: result.output, duration_ms: result.durationMs };
      }
      // One tool message per call, in the model's order, whatever order they finished in.
      calls.forEach((call, i) => messages.push({ role: 'tool', tool_call_id: call.id, content: outputs[i] ?? '' }));
      continue;
    }
    if (turn.finishReason === 'length') {
      if (continuations >= limits.maxContinuations) {
        outcome = { status: 'error', error: `the model hit the output limit ${continuations + 1} times in a row` };
        break;
      }
      continuations++;
      messages.push({ role: 'user', content: CONTINUE_PROMPT });
      continue;
    }
    if (turn.finishReason === 'content_filter') {
      outcome = { status: 'error', error: 'the provider stopped the answer with its content filter' };
      break;
    }
    outcome = { status: 'success' };
    break;
  }
  const result = await finish(outcome.status, outcome.error);
  yield result;
  return result;
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
