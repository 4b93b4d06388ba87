// `sprout sessions` says what happened in the words and numbers of the run's own result: costs with
// their currency, "1 turn", and the same turn count as the result even when a request failed.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

it('lists a one-turn session as "1 turn" with its cost in the provider currency', async () => {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const server = await startServer({ script: [{ content: 'hello' }] });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'greet'], { env });
  expect(run.code, run.stderr).toBe(0);
  const result = run.events.at(-1)!;
  const amount = (result.cost as { amount: number }).amount;

  const list = await runCli(['sessions'], { env });
  expect(list.code).toBe(0);
  expect(list.stdout).toMatch(/success\s+1 turn\s+\d+\.\d{4} CNY /);
  expect(list.stdout).not.toContain('1 turns');
  expect(list.stdout).toContain(`${amount.toFixed(4)} CNY`);
  const json = await runCli(['sessions', '--json'], { env });
  expect(JSON.parse(json.stdout.trim())).toMatchObject({ turns: 1, cost: amount, currency: 'CNY' });
  const show = await runCli(['sessions', 'show', String(result.session_id)], { env });
  expect(show.stdout).toMatch(/· success · 1 turn · cost \d+\.\d{4} CNY\n/);
});

it('a session that failed on a 401 lists as many turns as its result said', async () => {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  const env = { SPROUT_API_KEY: 'wrong-key', XDG_STATE_HOME: tempDir('sprout-state-') };
  const server = await startServer({ apiKey: 'right-key', script: [] });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'greet'], { env });
  expect(run.code).toBe(1);
  const result = run.events.at(-1)!;
  expect(result).toMatchObject({ type: 'result', status: 'error' });
  expect(server.requests.map((r) => r.status)).toEqual([401]);

  const json = await runCli(['sessions', '--json'], { env });
  const row = JSON.parse(json.stdout.trim()) as { turns: number; status: string };
  expect(row).toMatchObject({ status: 'error', turns: result.num_turns });
  const list = await runCli(['sessions'], { env });
  expect(list.stdout).toMatch(new RegExp(`error\\s+${String(result.num_turns)} turns?\\s`));
});
