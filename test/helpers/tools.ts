// Calling real tools through the real runner on a real host sandbox, as the agent loop does.
import type { RunLimits } from '../../src/agent/options.js';
import { createHostSandbox } from '../../sandbox/host.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { Tool, ToolContext } from '../../tools/define-tool.js';
import { FileHistory } from '../../tools/file-history.js';
import { builtinTools } from '../../tools/registry.js';
import { runToolCall, type ToolCallOutcome } from '../../tools/runner.js';

export const TEST_LIMITS = { shellTimeoutMs: 10_000, shellMaxTimeoutMs: 20_000, execOutputBytes: 256 * 1024 };

/** Run limits for loop tests that call runAgent directly. */
export const TEST_RUN_LIMITS: RunLimits = {
  ...TEST_LIMITS,
  maxTurns: 10,
  maxOutputTokens: 1000,
  maxContinuations: 2,
  toolOutputBytes: 16384,
  toolConcurrency: 4,
  agentsMdBytes: 100,
  maxRepeatedCalls: 3,
  structuredOutputRetries: 2,
};

export interface ToolHarness {
  sandbox: Sandbox;
  ctx: ToolContext;
  /** Call a built-in tool by name with arguments (an object is sent as JSON). */
  call(name: string, args: object | string): Promise<ToolCallOutcome>;
}

export interface HarnessOptions {
  sandbox?: Sandbox;
  outputLimitBytes?: number;
  /** Where cut output is kept whole. */
  spill?: (text: string) => Promise<string | undefined>;
  /** The tools to offer (default: the built-in set). */
  tools?: readonly Tool[];
}

export async function toolHarness(root: string, options: HarnessOptions = {}): Promise<ToolHarness> {
  const sandbox = options.sandbox ?? (await createHostSandbox({ root }));
  const history = new FileHistory(sandbox);
  const ctx: ToolContext = { sandbox: history.recording(), history, signal: new AbortController().signal, cwd: sandbox.root, limits: TEST_LIMITS };
  const tools = new Map<string, Tool>((options.tools ?? builtinTools()).map((t) => [t.name, t]));
  let n = 0;
  return {
    sandbox,
    ctx,
    call: (name, args) =>
      runToolCall(tools, { id: `t${n++}`, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) }, ctx, { outputLimitBytes: options.outputLimitBytes ?? 16 * 1024, spill: options.spill }),
  };
}
