// Turns that say nothing (cut off while still thinking, cut off inside a tool call, an empty answer)
// must never be sent back as an assistant message the API rejects: the next request stays valid.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { type RecordedRequest } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

/** Every assistant message of a request carries text or tool calls. */
function assistantsSaySomething(req: RecordedRequest): boolean {
  return (req.body.messages ?? [])
    .filter((m) => m.role === 'assistant')
    .every((m) => (typeof m.content === 'string' && m.content !== '') || (m.tool_calls?.length ?? 0) > 0);
}

it('a length stop during reasoning is followed by a valid request that asks the model to go on', async () => {
  const repo = tempRepo({ 'a.txt': 'x\n' });
  const server = await startServer({
    script: [{ reasoning: 'Thinking about it at great length '.repeat(20), finishReason: 'length' }, { content: 'done' }],
  });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'think'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(0);
  expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
  const second = server.requests[1]!;
  expect(assistantsSaySomething(second)).toBe(true);
  const last = second.body.messages?.at(-1);
  expect(last?.role).toBe('user');
  expect(String(last?.content)).toMatch(/cut off by the output limit/);
  expect(run.events.at(-1)).toMatchObject({ status: 'success', num_turns: 2, final_message: 'done' });
  server.assertDone();
});

it('a length stop inside a tool call (the call is dropped) is followed by a valid request', async () => {
  const repo = tempRepo({ 'a.txt': 'x\n' });
  const server = await startServer({
    script: [{ toolCalls: [{ name: 'write_file', arguments: '{"path":"b.txt","content":"hal' }], finishReason: 'length' }, { content: 'done' }],
  });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'write'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(0);
  expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
  expect(assistantsSaySomething(server.requests[1]!)).toBe(true);
  expect(run.events.some((e) => e.type === 'tool_call')).toBe(false);
  server.assertDone();
});

it('an empty answer, resumed with a new instruction, is followed by a valid request', async () => {
  const repo = tempRepo({ 'a.txt': 'x\n' });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const server = await startServer({ script: [{ content: '' }, { content: 'now I answer' }] });
  const first = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'say nothing'], { env });
  expect(first.code, first.stderr).toBe(0);
  const second = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '--resume', 'last', 'say something'], { cwd: repo, env });
  expect(second.code, second.stderr).toBe(0);
  expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
  const resumed = server.requests[1]!;
  expect(assistantsSaySomething(resumed)).toBe(true);
  expect((resumed.body.messages ?? []).map((m) => m.role)).toEqual(['system', 'user', 'user']);
  expect(second.events.at(-1)).toMatchObject({ status: 'success', final_message: 'now I answer' });
  server.assertDone();
});

it('a saved session holding a content-null answer (from an older version) resumes with a valid request', async () => {
  const repo = tempRepo({ 'a.txt': 'x\n' });
  const state = tempDir('sprout-state-');
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: state };
  const server = await startServer({ script: [{ content: 'first' }, { content: 'second' }] });
  const first = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'go'], { env });
  expect(first.code, first.stderr).toBe(0);
  const file = join(state, 'sprout', 'sessions', `${String(first.events[0]!.session_id)}.jsonl`);
  appendFileSync(file, `${JSON.stringify({ type: 'message', message: { role: 'assistant', content: null } })}\n`);
  const second = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '--resume', 'last'], { cwd: repo, env });
  expect(second.code, second.stderr).toBe(0);
  expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
  expect(assistantsSaySomething(server.requests[1]!)).toBe(true);
  server.assertDone();
});
