// The agent loop against an in-process scripted model: stop reasons, continuation, costs, interrupts.
import { describe, expect, it } from 'vitest';
import type { AgentEvent, RunResult } from '../../src/agent/events.js';
import { runAgent } from '../../src/agent/run-agent.js';
import { findProfile } from '../../src/model/profiles.js';
import { createHostSandbox } from '../../sandbox/host.js';
import { builtinTools } from '../../tools/registry.js';
import { scriptedModel, type ScriptedModelTurn } from '../helpers/scripted-model.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { TEST_RUN_LIMITS as LIMITS } from '../helpers/tools.js';

async function run(turns: ScriptedModelTurn[], extra: { signal?: AbortSignal; files?: Record<string, string> } = {}) {
  const root = tempRepo(extra.files ?? { 'a.txt': 'alpha\n' });
  const model = scriptedModel(turns);
  const sandbox = await createHostSandbox({ root });
  const events: AgentEvent[] = [];
  const generator = runAgent({ task: 'do it', model, profile: findProfile('doubao-seed-code'), tools: builtinTools(), sandbox, limits: LIMITS, signal: extra.signal });
  let step = await generator.next();
  while (!step.done) {
    events.push(step.value);
    step = await generator.next();
  }
  return { events, result: step.value as RunResult, model, root };
}

describe('runAgent', () => {
  it('returns the same result it yields last, after a session event first', async () => {
    const { events, result, model } = await run([{ content: 'nothing to do' }]);
    model.assertDone();
    expect(events[0]?.type).toBe('session');
    expect(events.at(-1)).toEqual(result);
    expect(result).toMatchObject({ status: 'success', num_turns: 1, final_message: 'nothing to do', changed_files: [] });
  });

  it('asks the model to continue after a length stop and never runs a cut-off tool call', async () => {
    const { result, model, root } = await run([
      { content: 'part one', finishReason: 'length', toolCalls: [{ id: 'c1', name: 'write_file', arguments: '{"path":"x.txt","content":"hal' }] },
      { content: 'done' },
    ]);
    expect(result.status).toBe('success');
    const second = model.requests[1]!;
    expect(second.at(-2)).toEqual({ role: 'assistant', content: 'part one' });
    expect(second.at(-1)).toMatchObject({ role: 'user', content: expect.stringContaining('cut off by the output limit') });
    // The continuation may answer at greater length: max_tokens doubles, within the model's maximum.
    expect(model.maxTokens).toEqual([1000, 2000]);
    expect(await import('node:fs').then((fs) => fs.existsSync(`${root}/x.txt`))).toBe(false);
  });

  it('gives up after too many length stops in a row with status error', async () => {
    const { result } = await run([{ content: 'a', finishReason: 'length' }, { content: 'b', finishReason: 'length' }, { content: 'c', finishReason: 'length' }]);
    expect(result).toMatchObject({ status: 'error', error: 'the model hit the output limit 3 times in a row' });
  });

  it('ends with status error on a content filter stop', async () => {
    const { result } = await run([{ content: '', finishReason: 'content_filter' }]);
    expect(result).toMatchObject({ status: 'error', error: expect.stringContaining('content filter') });
  });

  it('prices each request by its tier and sums the cost', async () => {
    const { events, result } = await run([
      { toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.txt"}' }], usage: { promptTokens: 10_000, cachedTokens: 4_000, completionTokens: 100, reasoningTokens: 0 } },
      { content: 'ok', usage: { promptTokens: 40_000, cachedTokens: 10_000, completionTokens: 200, reasoningTokens: 50 } },
    ]);
    // Tier 1: 6000*1.2 + 4000*0.24 + 100*8; tier 2 (over 32K): 30000*1.4 + 10000*0.24 + 200*12; per 1M tokens.
    const expected = (6000 * 1.2 + 4000 * 0.24 + 100 * 8 + 30000 * 1.4 + 10000 * 0.24 + 200 * 12) / 1e6;
    expect(result.cost.amount).toBeCloseTo(expected, 12);
    expect(result.cost.currency).toBe('CNY');
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(2);
    expect(result.usage).toEqual({ prompt_tokens: 50_000, cached_tokens: 14_000, completion_tokens: 300, reasoning_tokens: 50 });
  });

  it('puts AGENTS.md into the system prompt, capped, and keeps the prompt identical across turns', async () => {
    const { model } = await run(
      [{ toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.txt"}' }] }, { content: 'ok' }],
      { files: { 'a.txt': 'a\n', 'AGENTS.md': `Use tabs.\n${'x'.repeat(500)}` } },
    );
    const [first, second] = model.requests;
    expect(first![0]).toEqual(second![0]);
    expect(first![0]!.content).toContain('Use tabs.');
    expect(first![0]!.content).toContain('[AGENTS.md was cut to fit the instruction budget: 510 bytes in all]');
  });

  it('warns a model that repeats the same call, then stops it with status limit', async () => {
    const same = { toolCalls: [{ id: 'c', name: 'read_file', arguments: '{"path": "a.txt"}' }] };
    const reordered = { toolCalls: [{ id: 'c', name: 'read_file', arguments: '{ "path":"a.txt" }' }] };
    const { result, model } = await run([same, reordered, same, same]);
    model.assertDone();
    const third = model.requests[3]!;
    expect(third.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('made exactly this call 3 times in a row') });
    expect(result).toMatchObject({ status: 'limit', num_turns: 4, error: expect.stringContaining('repeated the same tool calls 4 times') });
  });

  it('warns once at 80% of --max-turns before stopping at the limit', async () => {
    const reads = Array.from({ length: 10 }, (_, i) => ({ toolCalls: [{ id: `c${i}`, name: 'read_file', arguments: `{"path":"a.txt","limit":${i + 1}}` }] }));
    const { events, result } = await run(reads);
    const warnings = events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message);
    expect(warnings).toEqual(['used 8 of 10 model requests (--max-turns)']);
    expect(result).toMatchObject({ status: 'limit', num_turns: 10 });
  });

  it('stops with status interrupted when its signal is aborted during a tool call', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const { result } = await run([{ toolCalls: [{ id: 'c1', name: 'shell', arguments: '{"command":"sleep 20"}' }] }], { signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.status).toBe('interrupted');
  });
});
