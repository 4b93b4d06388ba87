// `sprout eval` sharded by the environment of a Kubernetes Indexed Job: JOB_COMPLETION_INDEX 0..2
// with 3 shards covers every instance exactly once, and `sprout eval report --merge` of the three
// shard directories equals the report of one unsharded run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { evalFixture, INSTANCES, playInstance } from '../helpers/eval-fixture.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

/**
 * A report without what varies from one run of the same instances to the next: times, and tokens
 * and cost (the paths in the prompt differ by state directory, and the fake server's prompt cache
 * is warm for later runs).
 */
function stable(report: { totals: Record<string, unknown>; instances: Array<Record<string, unknown>> }) {
  const { run_ms: _r, cost: _c, ...totals } = report.totals;
  return { totals, instances: report.instances.map(({ run_ms: _a, grade_ms: _b, prompt_tokens: _p, completion_tokens: _o, cost: _k, ...row }) => row) };
}

it('JOB_COMPLETION_INDEX=0..2 of 3 shards covers each instance once, and the merged report equals an unsharded run', async () => {
  const { repo, tasksFile } = evalFixture();
  const server = await startServer({ script: [playInstance], repeatLast: true });
  const root = tempDir('sprout-eval-');
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const args = (state: string, name: string) => ['eval', tasksFile, '--state', join(root, state), '--name', name, '--base-url', server.url, '--sandbox', 'none'];

  const whole = await runCli(args('whole', 'whole'), { cwd: repo, env, timeoutMs: 120_000 });
  expect(whole.code, whole.stderr).toBe(0);
  const covered: string[] = [];
  let shardCost = 0;
  const inShard: string[][] = [];
  for (const index of [0, 1, 2]) {
    const shard = await runCli(args(`shard-${index}`, `shard-${index}`), { cwd: repo, env: { ...env, JOB_COMPLETION_INDEX: String(index), SPROUT_SHARD_COUNT: '3' }, timeoutMs: 120_000 });
    expect(shard.code, shard.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(root, `shard-${index}`, 'eval-report.json'), 'utf8'));
    covered.push(...report.instances.map((r: { instance_id: string }) => r.instance_id));
    shardCost += report.totals.cost;
    inShard.push(report.instances.map((r: { instance_id: string }) => r.instance_id));
  }
  expect(covered.sort()).toEqual(Object.keys(INSTANCES).sort());

  const merged = await runCli(['eval', 'report', '--merge', '--json', ...[0, 1, 2].map((i) => join(root, `shard-${i}`))], { env });
  expect(merged.code, merged.stderr).toBe(0);
  const unsharded = JSON.parse(readFileSync(join(root, 'whole', 'eval-report.json'), 'utf8'));
  expect(stable(JSON.parse(merged.stdout))).toEqual(stable(unsharded));
  expect(unsharded.totals).toMatchObject({ instances: 3, resolved: 1 });
  // Each shard's report rounds its cost to 6 decimals, so the sum may differ in the last place.
  expect(JSON.parse(merged.stdout).totals.cost).toBeCloseTo(shardCost, 5);

  // Two runs side by side: the same instances, the same outcomes.
  const compared = await runCli(['eval', 'report', '--json', join(root, 'whole'), join(root, 'shard-0')], { env });
  expect(compared.code, compared.stderr).toBe(0);
  const comparison = JSON.parse(compared.stdout);
  expect(comparison.a).toMatchObject({ resolved: 1, instances: 3 });
  expect(comparison.instances.map((r: { instance_id: string; change: string }) => [r.instance_id, r.change])).toEqual(
    Object.keys(INSTANCES).sort().map((id) => [id, inShard[0]!.includes(id) ? 'same' : 'only-a']),
  );

  const overlap = await runCli(['eval', 'report', '--merge', join(root, 'whole'), join(root, 'shard-0')], { env });
  expect(overlap.code).toBe(2);
  expect(overlap.stderr).toMatch(/is in both .* each instance must be in one shard only/);
}, 300_000);
