// `sprout batch` over five packages of one repository, three at a time: every task ends as its own
// branch holding only its own package's change, the main working tree is untouched, the fake server
// sees at most three (and more than one) tasks at once, and the batch writes its report. A batch with
// a failing task exits 1 and its report says which task failed and why.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { contentText, type RecordedRequest, type ScriptedTurn } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

/** The task a request belongs to: the last path component of the system prompt's working directory. */
function taskOf(req: RecordedRequest): string {
  const system = contentText(req.body.messages?.[0]?.content);
  return /Working directory: .*\/([^/\n]+)\n/.exec(system)?.[1] ?? 'unknown';
}

const hasToolResult = (req: RecordedRequest) => (req.body.messages ?? []).some((m) => m.role === 'tool');

const PACKAGES = ['p1', 'p2', 'p3', 'p4', 'p5'];

describe('sprout batch', () => {
  it('runs 5 packages 3 at a time into 5 independent branches and writes a report', async () => {
    const files = Object.fromEntries(PACKAGES.map((p) => [`packages/${p}/index.js`, `var ${p} = 1;\n`]));
    const repo = tempRepo({ ...files, 'README.md': 'root\n' });
    const active = new Set<string>();
    let peak = 0;
    const dispatcher = async (req: RecordedRequest): Promise<ScriptedTurn> => {
      const pkg = taskOf(req);
      if (hasToolResult(req)) {
        active.delete(pkg);
        return { content: `Replaced var with const in ${pkg}.` };
      }
      active.add(pkg);
      peak = Math.max(peak, active.size);
      // Hold the first answer until another task is active too (or 3 s pass): proof of parallelism
      // that does not depend on how fast the children start.
      for (let waited = 0; active.size < 2 && waited < 3000; waited += 50) await sleep(50);
      return { toolCalls: [{ name: 'edit_file', arguments: { path: 'index.js', old_string: `var ${pkg}`, new_string: `const ${pkg}` } }] };
    };
    const server = await startServer({ script: [dispatcher], repeatLast: true });
    const run = await runCli(
      ['batch', '--dirs', 'packages/*', '--prompt', 'use const instead of var', '--concurrency', '3', '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url],
      { cwd: repo, env: { SPROUT_API_KEY: 'k' } },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(server.unexpected).toEqual([]);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(3);

    for (const p of PACKAGES) {
      expect(git(repo, 'diff', '--name-only', 'main', `sprout/dirs/${p}`)).toBe(`packages/${p}/index.js\n`);
      expect(git(repo, 'show', `sprout/dirs/${p}:packages/${p}/index.js`)).toBe(`const ${p} = 1;\n`);
    }
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(repo, 'packages/p1/index.js'), 'utf8')).toBe('var p1 = 1;\n');

    const state = join(repo, '.sprout-batch/dirs');
    const rows = readFileSync(join(state, 'report.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.id, r.status, r.files_changed, r.branch])).toEqual(PACKAGES.map((p) => [p, 'success', 1, `sprout/dirs/${p}`]));
    expect(rows.every((r) => r.turns === 2 && r.cost > 0 && r.prompt_tokens > 0)).toBe(true);
    const markdown = readFileSync(join(state, 'report.md'), 'utf8');
    expect(markdown).toContain('| task | status | turns | tokens | cached | cost | duration | files changed | output |');
    for (const p of PACKAGES) expect(markdown).toMatch(new RegExp(`\\| ${p} \\| success \\| 2 \\|.*\\| 1 \\| \`sprout/dirs/${p}\` \\|`));
    expect(run.events.filter((e) => e.type === 'task_start')).toHaveLength(5);
    expect(run.events.at(-1)).toMatchObject({ type: 'batch_result', status: 'success', exit_code: 0, tasks: 5, counts: { success: 5 } });
    // Finished worktrees are removed; the branches hold the work.
    expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('exits 1 when a task fails, and the report says which and why (in the bwrap sandbox)', async () => {
    const repo = tempRepo({ 'ok/a.txt': 'old\n', 'broken/b.txt': 'b\n', 'lazy/c.txt': 'c\n', 'lazy.md': '# c.txt is wrong\n\nIt says c.\n' });
    let fixed = false;
    const dispatcher = (req: RecordedRequest): ScriptedTurn => {
      const task = taskOf(req);
      if (task === 'broken' && !fixed) return { error: { status: 400, body: { error: { code: 'InvalidParameter', message: 'the fake model refuses', type: 'BadRequest' } } } };
      if (task === 'ok' && !hasToolResult(req)) return { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'new\n' } }] };
      return { content: 'Nothing to change.' };
    };
    const server = await startServer({ script: [dispatcher], repeatLast: true });
    const dir = tempDir('sprout-manifest-');
    const tasks = [
      { id: 'ok', cwd: join(repo, 'ok'), prompt: 'update a.txt' },
      { id: 'broken', cwd: join(repo, 'broken'), prompt: 'anything' },
      { id: 'lazy', cwd: join(repo, 'lazy'), issue: join(repo, 'lazy.md') },
    ];
    writeFileSync(join(dir, 'fixes.json'), JSON.stringify({ tasks }));
    const state = join(dir, 'state');
    const run = await runCli(['batch', join(dir, 'fixes.json'), '--state', state, '--no-verify', '--base-url', server.url], { cwd: dir, env: { SPROUT_API_KEY: 'k' } });
    expect(run.code, run.stderr).toBe(1);
    const rows = readFileSync(join(state, 'report.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.id, r.status])).toEqual([['ok', 'success'], ['broken', 'error'], ['lazy', 'error']]);
    expect(git(repo, 'show', 'sprout/fixes/ok:ok/a.txt')).toBe('new\n');
    const markdown = readFileSync(join(state, 'report.md'), 'utf8');
    expect(markdown).toContain('### Failed tasks');
    expect(markdown).toMatch(/- \*\*broken\*\* \(error\): .*refuses/);
    expect(markdown).toMatch(/- \*\*lazy\*\* \(error\): .*without changing any file/);
    // Without --json the markdown report is the batch's stdout; progress went to stderr.
    expect(run.stdout).toBe(markdown);
    expect(run.stderr).toMatch(/broken: error/);

    // --retry-failed starts the failed tasks over; the successful one is left alone.
    fixed = true;
    const before = server.requests.length;
    const retry = await runCli(['batch', join(dir, 'fixes.json'), '--state', state, '--retry-failed', '--json', '--no-verify', '--base-url', server.url], { cwd: dir, env: { SPROUT_API_KEY: 'k' } });
    expect(retry.code).toBe(1);
    const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(retry.events.filter((e) => e.type === 'task_start').map((e) => [e.id, e.attempt, e.resumed]).sort(byId)).toEqual([['broken', 2, false], ['lazy', 2, false]]);
    expect(retry.events.filter((e) => e.type === 'task_end').map((e) => [e.id, e.status]).sort(byId)).toEqual([['broken', 'success'], ['lazy', 'error']]);
    expect(server.requests.slice(before).map(taskOf).sort()).toEqual(['broken', 'lazy']);
  }, 60_000);

  it('stops starting tasks once the batch budget would be passed: exit 3, the rest skipped-budget', async () => {
    const repo = tempRepo({ 'a/x.txt': 'a\n', 'b/x.txt': 'b\n', 'c/x.txt': 'c\n' });
    const server = await startServer({ script: [{ content: 'Nothing to do.' }], repeatLast: true });
    // One answer costs about 0.003 CNY (the fixed prompt is ~2.5K tokens); after the first task, the next one would be expected to pass 0.004.
    const run = await runCli(
      ['batch', '--dirs', '*', '--prompt', 'look', '-j', '1', '--max-cost', '0.004', '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url],
      { cwd: repo, env: { SPROUT_API_KEY: 'k' } },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(server.requests).toHaveLength(1);
    expect(run.events.filter((e) => e.type === 'task_skip').map((e) => [e.id, e.reason])).toEqual([['b', 'budget'], ['c', 'budget']]);
    const rows = readFileSync(join(repo, '.sprout-batch/dirs/report.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.status)).toEqual(['success', 'skipped-budget', 'skipped-budget']);
    expect(run.events.at(-1)).toMatchObject({ type: 'batch_result', status: 'incomplete', exit_code: 3 });
    // A task that changed nothing leaves no branch behind.
    expect(execFileSync('git', ['branch', '--list', 'sprout/*'], { cwd: repo, encoding: 'utf8' })).toBe('');
  });
});
