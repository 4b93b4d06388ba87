// Running one turn's tool calls: concurrently up to a limit, except that calls touching the same file
// or lock wait for the earlier ones, and commands and test runs wait for the file calls before them
// (so two edits of a file apply in order while a test run goes on beside them, and a test run after
// an edit tests the edited file); reported as each finishes, with results sent back in the model's order.
import pLimit from 'p-limit';
import type { Tool, ToolContext } from '../../tools/define-tool.js';
import { callFootprint, mustWait } from '../../tools/footprint.js';
import { type OutputOptions, runToolCall, type ToolCallOutcome } from '../../tools/runner.js';
import type { ChatMessage, ContentPart, ToolCall } from '../model/types.js';
import type { AgentEvent } from './events.js';

export interface BatchOptions {
  tools: ReadonlyMap<string, Tool>;
  ctx: ToolContext;
  concurrency: number;
  output: OutputOptions;
}

/** Yields `[index, outcome]` pairs in completion order; every call yields exactly once. */
export async function* runToolBatch(
  calls: readonly ToolCall[],
  options: BatchOptions,
): AsyncGenerator<[number, ToolCallOutcome]> {
  const limit = pLimit(options.concurrency);
  const footprints = calls.map((call) => callFootprint(options.tools, call, options.ctx.cwd));
  const runs: Array<Promise<ToolCallOutcome>> = [];
  const pending = new Map<number, Promise<[number, ToolCallOutcome]>>();
  calls.forEach((call, index) => {
    const before = runs.filter((_, j) => mustWait(footprints[j]!, footprints[index]!));
    // Wait for conflicting calls before taking a slot, so a waiting call never holds one.
    const run = Promise.allSettled(before).then(() => limit(() => runToolCall(options.tools, call, options.ctx, options.output)));
    runs.push(run);
    pending.set(index, run.then((outcome): [number, ToolCallOutcome] => [index, outcome]));
  });
  while (pending.size > 0) {
    const [index, outcome] = await Promise.race(pending.values());
    pending.delete(index);
    yield [index, outcome];
  }
}

/** What a turn's tool calls produced: one tool message per call in the model's order, and images. */
export interface TurnResults {
  messages: Array<ChatMessage & { role: 'tool' }>;
  /** A user message showing the images tools returned, to send after the tool messages. */
  images?: ChatMessage & { role: 'user' };
}

/** Run a turn's tool calls with events. */
export async function* runTools(calls: readonly ToolCall[], options: BatchOptions): AsyncGenerator<AgentEvent, TurnResults> {
  for (const call of calls) yield { type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments };
  const outcomes: ToolCallOutcome[] = new Array(calls.length);
  for await (const [index, result] of runToolBatch(calls, options)) {
    const call = calls[index]!;
    outcomes[index] = result;
    yield { type: 'tool_result', id: call.id, name: call.name, ok: result.ok, output: result.output, duration_ms: result.durationMs, ...processFields(result.details) };
  }
  const messages = calls.map((call, i) => ({ role: 'tool' as const, tool_call_id: call.id, content: outcomes[i]?.output ?? '' }));
  return { messages, ...imageMessage(calls, outcomes) };
}

/** A tool message is text only, so images come after the turn's tool messages, as one user message. */
function imageMessage(calls: readonly ToolCall[], outcomes: readonly ToolCallOutcome[]): Pick<TurnResults, 'images'> {
  const parts: ContentPart[] = calls.flatMap((call, i) =>
    (outcomes[i]?.images ?? []).flatMap((image): ContentPart[] => [
      { type: 'text', text: `Image from ${call.name} (call ${call.id}): ${image.label}` },
      { type: 'image_url', image_url: { url: image.url } },
    ]),
  );
  return parts.length > 0 ? { images: { role: 'user', content: parts } } : {};
}

/** A command's exit code and timeout, from the details of tools that run one (shell, run_tests). */
function processFields(details: Record<string, unknown> | undefined): { exit_code?: number | null; timed_out?: boolean } {
  if (!details || !('exitCode' in details)) return {};
  const code = details.exitCode;
  return { exit_code: typeof code === 'number' ? code : null, timed_out: details.timedOut === true };
}
