// Provider errors end the run with exit 1, a message that says what to do, and a result line.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { closedPort } from '../helpers/free-port.js';
import { tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

it('a rejected key names the variable it was read from, never the key, and exits 1', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const server = await startServer({ apiKey: 'the-right-key', script: [] });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'task'], {
    env: { ARK_API_KEY: 'wrong-key-123' },
  });
  expect(run.code).toBe(1);
  const result = run.events.at(-1);
  expect(result).toMatchObject({ type: 'result', status: 'error', num_turns: 1 });
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
