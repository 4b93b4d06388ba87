// Endpoints that cannot be reached: a host name that does not exist fails at once, naming the host;
// refused connections and timeouts are retried, visibly, for a bounded and configurable time; and the
// result counts only the requests that were answered.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { closedPort } from '../helpers/free-port.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();

// RFC 6761: names under .invalid never resolve. The leading hyphen makes it an invalid host name
// too, so the resolver library answers ENOTFOUND itself, without sending a query to any DNS server.
const NO_SUCH_HOST = '-sprout-test-.invalid';

it('an unresolvable host fails in under 5 s without retries, naming the host', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const url = `http://${NO_SUCH_HOST}/v1`;
  const started = Date.now();
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', url, '-C', repo, 'task'], {
    env: { SPROUT_API_KEY: 'k', SPROUT_MAX_RETRIES: '6' },
  });
  // The run's own clock; the wall clock adds the CLI's start-up, slow on a loaded machine.
  expect(Number(run.events.at(-1)?.duration_ms)).toBeLessThan(5000);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(run.code).toBe(1);
  expect(run.events.filter((e) => e.type === 'retry')).toEqual([]);
  const result = run.events.at(-1);
  expect(result).toMatchObject({ type: 'result', status: 'error', num_turns: 0 });
  expect(String(result?.error)).toContain(`cannot resolve the host ${NO_SUCH_HOST}`);
  expect(String(result?.error)).toContain('--base-url');
});

it('the summary of a run whose only request failed says that no request completed', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const run = await runCli(['run', '--sandbox', 'none', '--base-url', `http://${NO_SUCH_HOST}/v1`, '-C', repo, 'task'], {
    env: { SPROUT_API_KEY: 'k' },
  });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('error before any model request completed');
  expect(run.stderr).not.toMatch(/after 1 turn/);
});

it('refused connections are retried with retry events until retryMaxWaitSeconds, then fail saying so', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const url = `http://127.0.0.1:${await closedPort()}/v1`;
  const started = Date.now();
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', url, '-C', repo, 'task'], {
    env: { SPROUT_API_KEY: 'k', SPROUT_MAX_RETRIES: '50', ...userConfigEnv({ retryBaseDelayMs: 200, retryMaxWaitSeconds: 2 }) },
  });
  const elapsed = Date.now() - started;
  expect(run.code).toBe(1);
  const retries = run.events.filter((e) => e.type === 'retry');
  // Waits of about 200, 400 and 800 ms fit in 2 s; the fourth (about 1.6 s) would not.
  expect(retries.length).toBeGreaterThanOrEqual(2);
  expect(retries.length).toBeLessThanOrEqual(4);
  expect(retries[0]).toMatchObject({ attempt: 1, status: null, message: expect.stringContaining('ECONNREFUSED') });
  expect(elapsed).toBeLessThan(15_000);
  expect(run.events.at(-1)).toMatchObject({ status: 'error', num_turns: 0, error: expect.stringMatching(/cannot reach .*gave up after \d+ attempts/) });
});

it('requests that time out are retried within the total, and a later answer still counts', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const silent = { content: 'too late', delayMs: 6000 };
  const server = await startServer({ script: [silent, silent, { content: 'answered' }] });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'task'], {
    env: { SPROUT_API_KEY: 'k', SPROUT_MAX_RETRIES: '6', ...userConfigEnv({ streamIdleTimeoutSeconds: 1.5, retryBaseDelayMs: 50, retryMaxWaitSeconds: 20 }) },
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.events.filter((e) => e.type === 'retry').map((e) => e.message)).toEqual([expect.stringContaining('no data'), expect.stringContaining('no data')]);
  expect(run.events.at(-1)).toMatchObject({ status: 'success', num_turns: 1, final_message: 'answered' });
});

it('requests that keep timing out stop being retried once retryMaxWaitSeconds has passed', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const server = await startServer({ script: [{ content: 'too late', delayMs: 5000 }], repeatLast: true });
  const started = Date.now();
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'task'], {
    env: { SPROUT_API_KEY: 'k', SPROUT_MAX_RETRIES: '50', ...userConfigEnv({ streamIdleTimeoutSeconds: 0.5, retryBaseDelayMs: 100, retryMaxWaitSeconds: 2 }) },
  });
  expect(run.code).toBe(1);
  // Attempts take 0.5 s each: with 2 s in all only a few retries can start, whatever maxRetries says.
  const retries = run.events.filter((e) => e.type === 'retry');
  expect(retries.length).toBeGreaterThanOrEqual(1);
  expect(retries.length).toBeLessThanOrEqual(3);
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(run.events.at(-1)).toMatchObject({ status: 'error', num_turns: 0, error: expect.stringMatching(/no data .*gave up after \d+ attempts/) });
});
