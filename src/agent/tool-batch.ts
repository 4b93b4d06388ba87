// Running one turn's tool calls: concurrently up to a limit, reported as each finishes, while the
// caller keeps the model's order for the messages it sends back.
import pLimit from 'p-limit';
import type { Tool, ToolContext } from '../../tools/define-tool.js';
import { runToolCall, type ToolCallOutcome } from '../../tools/runner.js';
import type { ToolCall } from '../model/types.js';

export interface BatchOptions {
  tools: ReadonlyMap<string, Tool>;
  ctx: ToolContext;
  concurrency: number;
  outputLimitBytes: number;
}

/** Yields `[index, outcome]` pairs in completion order; every call yields exactly once. */
export async function* runToolBatch(
  calls: readonly ToolCall[],
  options: BatchOptions,
): AsyncGenerator<[number, ToolCallOutcome]> {
  const limit = pLimit(options.concurrency);
  const pending = new Map<number, Promise<[number, ToolCallOutcome]>>();
  calls.forEach((call, index) => {
    const run = limit(() => runToolCall(options.tools, call, options.ctx, options.outputLimitBytes));
    pending.set(index, run.then((outcome): [number, ToolCallOutcome] => [index, outcome]));
  });
  while (pending.size > 0) {
    const [index, outcome] = await Promise.race(pending.values());
    pending.delete(index);
    yield [index, outcome];
  }
}
