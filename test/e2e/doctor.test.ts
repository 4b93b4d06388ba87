// `sprout doctor` checks the model id against what the endpoint lists (GET /models), so a typo is
// caught before a run spends anything on it.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';

const startServer = fakeServerPerTest();

it('rejects a model id the endpoint does not list, naming the ids it does list', async () => {
  const server = await startServer({ models: ['doubao-seed-code', 'doubao-1.5-pro-32k'] });
  const run = await runCli(['doctor', '--sandbox', 'none', '--base-url', server.url, '--model', 'doubao-seed-cod'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(
    `✗ model: doubao-seed-cod is not among the models ${server.url} lists (doubao-seed-code, doubao-1.5-pro-32k); pass a listed id with --model or set "model" in the config`,
  );
  expect(run.stderr).toBe('');
});

it('accepts a model listed under a dated id of its family, and reports it with --json', async () => {
  const server = await startServer({ models: ['doubao-seed-code-preview-251028'] });
  const run = await runCli(['doctor', '--json', '--sandbox', 'none', '--base-url', server.url], { env: { SPROUT_API_KEY: 'k' } });
  const checks = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; ok: boolean; detail: string });
  expect(checks.find((c) => c.name === 'model')).toEqual({ name: 'model', ok: true, detail: `doubao-seed-code is listed by ${server.url}` });
  expect(checks.filter((c) => !c.ok)).toEqual([]);
  expect(run.code).toBe(0);
});
