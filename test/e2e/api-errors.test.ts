// Provider errors end the run with exit 1, a message that says what to do, and a result line.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { closedPort } from '../helpers/free-port.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

it('a rejected key names the variable it was read from, never the key, and exits 1', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const server = await startServer({ apiKey: 'the-right-key', script: [] });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'task'], {
    env: { ARK_API_KEY: 'wrong-key-123' },
  });
  expect(run.code).toBe(1);
  const result = run.events.at(-1);
  // The one request was refused, so no turn completed.
  expect(result).toMatchObject({ type: 'result', status: 'error', num_turns: 0 });
  expect(String(result?.error)).toContain(`the API key in ARK_API_KEY was rejected by ${server.url}`);
  expect(run.stdout + run.stderr).not.toContain('wrong-key-123');
});

it('an unreachable endpoint says which URL could not be reached', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const url = `http://127.0.0.1:${await closedPort()}/v1`;
  const run = await runCli(['run', '--sandbox', 'none', '--base-url', url, '-C', repo, 'task'], {
    env: { SPROUT_API_KEY: 'k', SPROUT_MAX_RETRIES: '0' },
  });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`cannot reach ${url}: connect ECONNREFUSED`);
});

it.each([
  [402, { code: 'InsufficientBalance', message: 'balance is not enough' }, 'the account balance is exhausted; top it up, then run again'],
  [451, { code: 'ContentViolation', message: 'content not allowed' }, 'the provider refused the content of this request'],
])('HTTP %i ends with exit 1, its own message, and a session that can be resumed', async (status, error, advice) => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const server = await startServer({ script: [{ error: { status, body: { error: { ...error, type: 'Error' } } } }, { content: 'resumed fine' }] });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'task'], { env });
  expect(run.code).toBe(1);
  expect(String(run.events.at(-1)?.error)).toContain(advice);
  const resumed = await runCli(['run', '--json', '--resume', 'last', '--sandbox', 'none', '--base-url', server.url], { cwd: repo, env });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.events.at(-1)).toMatchObject({ status: 'success', final_message: 'resumed fine', session_id: run.events[0]?.session_id });
});
