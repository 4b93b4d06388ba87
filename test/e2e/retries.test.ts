// Flaky upstreams: retryable failures are retried with visible retry events, waits are honoured, and
// a tool call from a cut stream never runs twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { FakeModelServer } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();

const fastRetries = () => userConfigEnv({ retryBaseDelayMs: 50 });

async function run(server: FakeModelServer, repo: string, extraArgs: string[] = [], env: Record<string, string> = fastRetries()) {
  return runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, ...extraArgs, 'task'], {
    env: { SPROUT_API_KEY: 'k', SPROUT_MAX_RETRIES: '6', ...env },
  });
}

it('waits as long as Retry-After says after a 429, then succeeds', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const times: number[] = [];
  const server = await startServer({
    script: [
      () => (times.push(Date.now()), { error: { status: 429, headers: { 'retry-after': '1' } } }),
      () => (times.push(Date.now()), { content: 'ok' }),
    ],
  });
  const result = await run(server, repo);
  expect(result.code, result.stderr).toBe(0);
  expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  expect(result.events.find((e) => e.type === 'retry')).toMatchObject({ attempt: 1, status: 429, wait_ms: 1000 });
});

it('retries two 502s with backoff and then succeeds', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const server = await startServer({ script: [{ error: { status: 502 } }, { error: { status: 502 } }, { content: 'ok' }] });
  const result = await run(server, repo);
  expect(result.code, result.stderr).toBe(0);
  server.assertDone();
  expect(result.events.filter((e) => e.type === 'retry').map((e) => e.status)).toEqual([502, 502]);
});

it('discards a stream cut inside a tool call and runs the tool exactly once after the retry', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const call = { id: 'c1', name: 'shell', arguments: { command: 'echo ran >> runs.log' } };
  const server = await startServer({
    script: [{ toolCalls: [call], disconnectAfterChunks: 3 }, { toolCalls: [call] }, { content: 'done' }],
  });
  const result = await run(server, repo);
  expect(result.code, result.stderr).toBe(0);
  server.assertDone();
  expect(readFileSync(join(repo, 'runs.log'), 'utf8')).toBe('ran\n');
  expect(result.events.filter((e) => e.type === 'retry')).toHaveLength(1);
});

it('accepts a slow first byte that stays within the idle timeout', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const server = await startServer({ script: [{ content: 'slow but fine', delayMs: 1500 }] });
  const result = await run(server, repo, [], userConfigEnv({ streamIdleTimeoutSeconds: 5 }));
  expect(result.code, result.stderr).toBe(0);
  expect(result.events.filter((e) => e.type === 'retry')).toHaveLength(0);
});

it('abandons and retries a request whose stream stays silent past the idle timeout', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const server = await startServer({ script: [{ content: 'too late', delayMs: 3000 }, { content: 'ok' }] });
  const result = await run(server, repo, [], userConfigEnv({ streamIdleTimeoutSeconds: 1, retryBaseDelayMs: 50 }));
  expect(result.code, result.stderr).toBe(0);
  expect(result.events.find((e) => e.type === 'retry')).toMatchObject({ status: null, message: expect.stringContaining('no data') });
});

it('does not retry a quota 429 and exits 1 with the advice', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const server = await startServer({
    script: [{ error: { status: 429, body: { error: { code: 'QuotaExceeded', message: 'quota used up', type: 'TooManyRequests' } } } }],
  });
  const result = await run(server, repo);
  expect(result.code).toBe(1);
  expect(result.events.filter((e) => e.type === 'retry')).toHaveLength(0);
  expect(String(result.events.at(-1)?.error)).toContain('rate limiting or out of quota');
});

it('the rate-limited joapi preset never sends two requests within its window', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const times: number[] = [];
  const read = { name: 'read_file', arguments: { path: 'a.txt' } };
  const server = await startServer({
    script: [
      () => (times.push(Date.now()), { toolCalls: [read] }),
      () => (times.push(Date.now()), { toolCalls: [read] }),
      () => (times.push(Date.now()), { content: 'done' }),
    ],
  });
  const result = await run(server, repo, ['--provider', 'joapi'], userConfigEnv({ rateLimitWindowSeconds: 1 }));
  expect(result.code, result.stderr).toBe(0);
  expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990);
  expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(990);
});
