// `sprout eval`: SWE-bench-style instances run through the batch engine on worktrees of their base
// commit, graded in the sandbox (test_patch applied, FAIL_TO_PASS and PASS_TO_PASS run), with
// predictions.jsonl whose patches apply to the base, a report with each reason, and resume after kill -9.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { RecordedRequest } from '../fake-server/index.js';
import { evalFixture, INSTANCES, instanceOf, type InstanceId, playInstance } from '../helpers/eval-fixture.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();
const IDS = Object.keys(INSTANCES) as InstanceId[];

function statusesIn(stateDir: string): Record<string, string> {
  const file = join(stateDir, 'state.json');
  if (!existsSync(file)) return {};
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as { tasks: Record<string, { status: string }> };
    return Object.fromEntries(Object.entries(state.tasks).map(([id, t]) => [id, t.status]));
  } catch {
    return {}; // caught mid-rename
  }
}

it('grades three instances at concurrency 2 (1/3 resolved, each reason), writes applicable predictions, and resumes after kill -9', async () => {
  const { repo, base, tasksFile } = evalFixture();
  const state = join(tempDir('sprout-eval-'), 'run');
  let firstRun = true;
  const seen = new Set<string>();
  const server = await startServer({
    script: [
      async (req: RecordedRequest) => {
        const id = instanceOf(req);
        if (id) seen.add(id);
        // In the first run calc-3 waits, so that the eval is killed while it is still working on it.
        if (firstRun && id === 'calc-3') await sleep(4000);
        return playInstance(req);
      },
    ],
    repeatLast: true,
  });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const args = ['eval', tasksFile, '--state', state, '--concurrency', '2', '--base-url', server.url];

  let poll: NodeJS.Timeout | undefined;
  const killed = await runCli(args, {
    cwd: repo, env, timeoutMs: 120_000,
    onSpawn(child) {
      poll = setInterval(() => {
        const done = Object.values(statusesIn(state)).filter((s) => s === 'success').length;
        if (done >= 2) child.kill('SIGKILL');
      }, 100);
    },
  });
  clearInterval(poll);
  expect(killed.signal, killed.stderr).toBe('SIGKILL');
  expect(existsSync(join(state, 'eval-report.json'))).toBe(false);
  const finishedFirst = Object.entries(statusesIn(state)).filter(([, s]) => s === 'success').map(([id]) => id).sort();
  expect(finishedFirst).toEqual(['calc-1', 'calc-2']);

  firstRun = false;
  seen.clear();
  const rerun = await runCli(args, { cwd: repo, env, timeoutMs: 120_000 });
  expect(rerun.code, rerun.stderr).toBe(0);
  expect([...seen]).toEqual(['calc-3']); // only the unfinished instance asked the model anything
  expect(rerun.stdout).toContain('1/3 resolved (33.3%)');

  const report = JSON.parse(readFileSync(join(state, 'eval-report.json'), 'utf8'));
  expect(report.totals).toMatchObject({ instances: 3, resolved: 1 });
  expect(report.instances.map((r: { instance_id: string; resolved: boolean; reason: string }) => [r.instance_id, r.resolved, r.reason])).toEqual(
    IDS.map((id) => [id, id === 'calc-1', INSTANCES[id].reason]),
  );
  expect(readFileSync(join(state, 'eval-report.md'), 'utf8')).toContain('**1/3 resolved (33.3%)**');
  const html = readFileSync(join(state, 'eval-report.html'), 'utf8');
  expect(html).toContain('<strong>1/3 resolved (33.3%)</strong>');
  expect(html.match(/<rect /g)).toHaveLength(3);
  expect(html).not.toMatch(/<script|src=|href=/);

  const predictions = readFileSync(join(state, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(predictions.map((p) => p.instance_id)).toEqual(IDS);
  for (const p of predictions) {
    expect(Object.keys(p).sort()).toEqual(['instance_id', 'model_name_or_path', 'model_patch']);
    expect(p.model_name_or_path).toBe('doubao-seed-code');
    // Each patch applies to a fresh checkout of the base commit.
    const check = join(tempDir('sprout-apply-'), 'wt');
    execFileSync('git', ['worktree', 'add', '-q', '--detach', check, base], { cwd: repo });
    writeFileSync(join(check, '..', 'p.diff'), p.model_patch);
    execFileSync('git', ['apply', '--check', join(check, '..', 'p.diff')], { cwd: check });
    execFileSync('git', ['worktree', 'remove', '--force', check], { cwd: repo });
  }
}, 240_000);

it('a bad instance is a one-line usage error naming the line and field', async () => {
  const dir = tempDir();
  const file = join(dir, 'tasks.jsonl');
  const good = { instance_id: 'x-1', repo: '.', base_commit: 'abc1234', problem_statement: 'p', test_patch: 'd', FAIL_TO_PASS: ['t'], test_cmd: 'true' };
  writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify({ ...good, instance_id: 'x-2', base_commit: '--upload-pack=evil' })}\n`);
  const run = await runCli(['eval', file, '--base-url', 'http://127.0.0.1:9'], { cwd: dir, env: { SPROUT_API_KEY: 'k' } });
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toBe(`error: ${file} line 2: base_commit: expected a hex commit id (7-40 characters)`);
});
