// The package's public API: the built `exports` entry loads, and a custom tool defined with it runs
// inside runAgent next to the built-in ones.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { builtinTools, createHostSandbox, defaultLimits, defineTool, findProfile, runAgent, type AgentEvent } from '../../src/index.js';
import { scriptedModel } from '../helpers/scripted-model.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { TEST_RUN_LIMITS } from '../helpers/tools.js';

it("the built package resolves by its own name and exports the loop, defineTool and the tools", () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const names = ['runAgent', 'defineTool', 'builtinTools', 'createOpenAIClient', 'createHostSandbox', 'createBwrapSandbox', 'withRetries', 'withRateLimit', 'loadConfig'];
  const script = `const m = await import('sprout-agent'); console.log(${JSON.stringify(names)}.map((k) => typeof m[k]).join(','), typeof m.z.object, m.defaultLimits.maxTurns)`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(out.trim()).toBe(`${names.map(() => 'function').join(',')} function 100`);
});

it('limits a library user leaves out come from defaultLimits', async () => {
  const root = tempRepo({ 'a.txt': 'x\n' });
  const model = scriptedModel([{ toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.txt"}' }] }, { toolCalls: [{ id: 'c2', name: 'read_file', arguments: '{"path":"a.txt"}' }] }]);
  const sandbox = await createHostSandbox({ root });
  let result: AgentEvent | undefined;
  for await (const event of runAgent({ task: 't', model, profile: findProfile('doubao-seed-code'), sandbox, tools: builtinTools(), limits: { maxTurns: 2 } })) result = event;
  await sandbox.close();
  expect(result).toMatchObject({ type: 'result', status: 'limit', num_turns: 2 });
  expect(defaultLimits).toMatchObject({ maxTurns: 100, toolOutputBytes: 16 * 1024, shellTimeoutMs: 120_000 });
});

it('a custom tool defined with defineTool is offered to the model and runs', async () => {
  const root = tempRepo({ 'notes.txt': 'a\nb\nc\n' });
  const countLines = defineTool({
    name: 'count_lines',
    description: 'Count the lines of a text file in the working directory.',
    parameters: z.object({ path: z.string().describe('File path, relative to the working directory') }),
    async execute({ path }, ctx) {
      return `${(await ctx.sandbox.readFile(path)).toString('utf8').split('\n').length - 1} lines`;
    },
  });
  const model = scriptedModel([{ toolCalls: [{ id: 'c1', name: 'count_lines', arguments: '{"path":"notes.txt"}' }] }, { content: 'three' }]);
  const sandbox = await createHostSandbox({ root });
  const events: AgentEvent[] = [];
  for await (const event of runAgent({
    task: 'count', model, profile: findProfile('doubao-seed-code'), sandbox, tools: [...builtinTools(), countLines],
    limits: { maxTurns: TEST_RUN_LIMITS.maxTurns },
  })) events.push(event);
  await sandbox.close();
  expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ name: 'count_lines', ok: true, output: '3 lines' });
  expect(model.requests[1]?.at(-1)).toEqual({ role: 'tool', tool_call_id: 'c1', content: '3 lines' });
});

it("the README's library example is examples/custom-tool.ts, which the test build type-checks", () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const readme = readFileSync(`${root}/README.md`, 'utf8');
  const snippet = /## Using sprout as a library[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(snippet).toBe(readFileSync(`${root}/examples/custom-tool.ts`, 'utf8'));
});
