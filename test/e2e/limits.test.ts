// Limits end a run cleanly: status `limit`, exit code 3, and the result line still written.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();

it('--max-turns 2 stops a model that never stops with status limit and exit 3', async () => {
  const repo = tempRepo({ 'a.txt': 'x\n' });
  const server = await startServer({
    script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }],
    repeatLast: true,
  });
  const run = await runCli(['run', '--json', '--max-turns', '2', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'loop'], {
    env: { SPROUT_API_KEY: 'k' },
  });
  expect(run.code, run.stderr).toBe(3);
  expect(server.requests).toHaveLength(2);
  const result = run.events.at(-1);
  expect(result).toMatchObject({ type: 'result', status: 'limit', num_turns: 2 });
  expect(String(result?.error)).toContain('--max-turns 2');
});

it('--timeout stops a run whose tool call outlives it, with status limit and exit 3', async () => {
  const repo = tempRepo({ 'a.txt': 'x\n' });
  const server = await startServer({ script: [{ toolCalls: [{ name: 'shell', arguments: { command: 'sleep 30' } }] }] });
  const started = Date.now();
  const run = await runCli(['run', '--json', '--timeout', '1', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'wait'], {
    env: { SPROUT_API_KEY: 'k' },
  });
  expect(run.code, run.stderr).toBe(3);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(run.events.at(-1)).toMatchObject({ type: 'result', status: 'limit' });
  expect(run.events.find((e) => e.type === 'tool_result')).toMatchObject({ ok: false });
});

// Node fires a setTimeout longer than 2^31-1 ms at once; a limit that long must simply never come.
it.each([
  [['--timeout', '1e99'], {}],
  [['--timeout', '3000000'], {}],
  [[], { SPROUT_TIMEOUT: '3000000' }],
  [[], userConfigEnv({ streamIdleTimeoutSeconds: 1e99 })],
])('a time limit beyond the timer maximum (%j %j) lets the run finish normally', async (flags, env) => {
  const repo = tempRepo({ 'a.txt': 'x\n' });
  const server = await startServer({ script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }, { content: 'read it' }] });
  const run = await runCli(['run', '--json', ...flags, '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'read a'], {
    env: { SPROUT_API_KEY: 'k', ...env },
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.events.at(-1)).toMatchObject({ type: 'result', status: 'success', num_turns: 2, final_message: 'read it' });
  expect(run.stderr).not.toContain('TimeoutOverflowWarning');
});
