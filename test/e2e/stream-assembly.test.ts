// Streams as real providers send them: a tool name repeated in every chunk is still one name, and a
// request retried after a cut stream does not pass the failed attempt's text off as the answer.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();

it('a provider that repeats the tool name in every chunk gets its call run under that name', async () => {
  const repo = tempRepo({ 'a.txt': 'hello\n' });
  const server = await startServer({
    script: [
      { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }, { name: 'shell', arguments: { command: 'echo hi' } }], repeatToolName: true },
      { content: 'done' },
    ],
  });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'read'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(0);
  expect(run.events.filter((e) => e.type === 'tool_call').map((e) => e.name)).toEqual(['read_file', 'shell']);
  expect(run.events.filter((e) => e.type === 'tool_result').map((e) => e.ok)).toEqual([true, true]);
  const sent = server.requests[1]!.body.messages?.find((m) => m.role === 'assistant');
  expect(sent?.tool_calls?.map((c) => c.function?.name)).toEqual(['read_file', 'shell']);
  server.assertDone();
});

it('text streamed by a request that failed midway is declared void before the retried answer streams', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const lost = 'ALPHA BRAVO CHARLIE DELTA ECHO FOXTROT GOLF HOTEL INDIA JULIET';
  const server = await startServer({
    script: [{ content: lost, disconnectAfterChunks: 4 }, { content: 'The whole answer, once.' }],
  });
  const env = { SPROUT_API_KEY: 'k', SPROUT_MAX_RETRIES: '2', ...userConfigEnv({ retryBaseDelayMs: 50 }) };
  const base = ['run', '--sandbox', 'none', '--base-url', server.url, '-C', repo];
  const text = await runCli([...base, 'answer'], { env });
  expect(text.code, text.stderr).toBe(0);
  const err = text.stderr;
  const partial = err.indexOf('ALPHA');
  const notice = err.indexOf('the partial answer above was lost with the failed request');
  const answer = err.indexOf('The whole answer, once.');
  expect(partial).toBeGreaterThanOrEqual(0);
  expect(err).not.toContain('JULIET'); // the cut attempt got only part of its text out
  expect(notice).toBeGreaterThan(partial);
  expect(answer).toBeGreaterThan(notice);
  expect(err.split('The whole answer, once.').length).toBe(2);
  expect(text.stdout.trim()).toBe('The whole answer, once.');
});

it('the retry event says how much streamed text was void, and the result keeps only the answer', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const server = await startServer({
    script: [{ reasoning: 'thinking it over', content: 'ALPHA BRAVO CHARLIE DELTA ECHO', disconnectAfterChunks: 5 }, { content: 'Final.' }],
  });
  const env = { SPROUT_API_KEY: 'k', SPROUT_MAX_RETRIES: '2', ...userConfigEnv({ retryBaseDelayMs: 50 }) };
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'answer'], { env });
  expect(run.code, run.stderr).toBe(0);
  const retry = run.events.find((e) => e.type === 'retry');
  expect(Number(retry?.discarded_chars)).toBeGreaterThan(0);
  expect(run.events.filter((e) => e.type === 'assistant').map((e) => e.text)).toEqual(['Final.']);
  expect(run.events.at(-1)).toMatchObject({ status: 'success', final_message: 'Final.', num_turns: 1 });
});
