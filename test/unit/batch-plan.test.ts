// The parts of a batch that need no model: shard selection, the batch budget, the child's command
// line, the report (rows, markdown, exit codes, merging shard reports) and the directory lock.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/agent/events.js';
import { BatchBudget } from '../../src/batch/budget.js';
import { childArgs } from '../../src/batch/child.js';
import { mergeReports } from '../../src/batch/merge.js';
import { reportJsonl, reportMarkdown, reportRow, summarizeRows } from '../../src/batch/report.js';
import { acquireLock } from '../../src/batch/processes.js';
import { parseShard, selectShard, shardOf } from '../../src/batch/shard.js';
import type { TaskRecord } from '../../src/batch/state.js';
import { InputError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-repo.js';

describe('shards', () => {
  it('parses I/N and refuses anything outside 1 <= I <= N', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '2', 'a/b', '-1/3']) expect(() => parseShard(bad), bad).toThrow();
  });

  it('shards 1..N split any set of ids into disjoint parts that cover it, stably', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `task-${i}`);
    for (const count of [1, 2, 3, 7]) {
      const parts = Array.from({ length: count }, (_, i) => selectShard(ids.map((id) => ({ id })), { index: i + 1, count }).map((t) => t.id));
      expect(parts.flat().sort()).toEqual([...ids].sort());
      expect(new Set(parts.flat()).size).toBe(ids.length);
      if (count > 1) for (const part of parts) expect(part.length).toBeGreaterThan(ids.length / count / 2);
    }
    // A task's shard depends on its id only, not on the other tasks or their order.
    expect(shardOf('task-5', 3)).toBe(shardOf('task-5', 3));
    expect(selectShard([{ id: 'task-5' }], { index: shardOf('task-5', 3), count: 3 })).toHaveLength(1);
  });
});

describe('the batch budget', () => {
  it('starts nothing once spent and committed costs would pass the budget', () => {
    const budget = new BatchBudget(1);
    budget.known('done', 0.3, true);
    expect(budget.allows(0.5)).toBe(true);
    budget.started('a', 0.5); // a may spend 0.5: 0.8 committed
    expect(budget.allows(0.5)).toBe(false);
    expect(budget.allows(0.2)).toBe(true);
    budget.spend('a', 0.1);
    budget.ended('a', 0.1, true); // 0.4 spent; average finished cost 0.2
    expect(budget.allows(undefined)).toBe(true);
    budget.known('big', 0.55, true); // 0.95 spent; average 0.32
    expect(budget.allows(undefined)).toBe(false);
    expect(budget.allows(0.05)).toBe(true);
    expect(new BatchBudget(undefined).allows(100)).toBe(true);
  });
});

describe('child command line', () => {
  it('passes the batch options through and the prompt on stdin', () => {
    const { args, stdin } = childArgs(
      { workdir: '/w', commit: true, patch: '/p.patch', prompt: '-rename Foo', model: 'm2', maxCost: 0.5 },
      { model: 'm1', baseUrl: 'http://x/v1', sandbox: 'none', verify: false, maxTurns: 7, network: true, taskMaxCost: 1 },
    );
    expect(args).toEqual(['run', '--json', '-C', '/w', '--patch-out', '/p.patch', '--commit', '--model', 'm2', '--base-url', 'http://x/v1',
      '--max-turns', '7', '--sandbox', 'none', '--max-cost', '0.5', '--no-verify', '--network', '-']);
    expect(stdin).toBe('-rename Foo');
  });

  it('resumes a session without a task, and gives an issue file as --issue', () => {
    expect(childArgs({ workdir: '/w', commit: false, patch: '/p', resume: 'abc', prompt: 'x' }, { taskMaxCost: 2 })).toEqual({
      args: ['run', '--json', '-C', '/w', '--patch-out', '/p', '--max-cost', '2', '--resume', 'abc'], stdin: '',
    });
    expect(childArgs({ workdir: '/w', commit: false, patch: '/p', issue: '/i.md' }, { verify: 'npm test' }).args.slice(-4)).toEqual(['--verify', 'npm test', '--issue', '/i.md']);
  });
});

function result(status: RunResult['status'], cost: number, extra: Partial<RunResult> = {}): RunResult {
  return {
    type: 'result', status, finish_reason: 'stop', num_turns: 3, duration_ms: 900, session_id: 's', sandbox: 'host', final_message: '',
    usage: { prompt_tokens: 1000, cached_tokens: 250, completion_tokens: 200, reasoning_tokens: 0 }, cost: { amount: cost, currency: 'CNY' },
    changed_files: ['a.ts', 'b.ts'], ...extra,
  };
}

function record(id: string, status: TaskRecord['status'], res?: RunResult, error?: string): TaskRecord {
  return { id, fingerprint: 'f', cwd: `/repo/${id}`, status, attempts: 1, duration_ms: 1500, result: res, error, session_id: res ? 's' : undefined };
}

describe('the report', () => {
  const rows = [
    reportRow(record('ok', 'success', result('success', 0.01, { branch: 'sprout/b/ok', commit: 'c1' })), false),
    reportRow(record('bad|pipe', 'error', result('error', 0.02, { error: 'HTTP 400\nmore' })), false),
    reportRow(record('later', 'pending'), true),
  ];

  it('has a row per task with tokens, cached share, cost and output', () => {
    expect(rows[0]).toMatchObject({ id: 'ok', status: 'success', turns: 3, cached_share: 0.25, cost: 0.01, files_changed: 2, branch: 'sprout/b/ok' });
    expect(rows[1]).toMatchObject({ status: 'error', error: 'HTTP 400\nmore' });
    expect(rows[2]).toMatchObject({ status: 'skipped-budget', turns: 0, cost: 0 });
    const markdown = reportMarkdown(rows, 'sprout batch b');
    expect(markdown).toContain('3 tasks: 1 success, 1 error, 1 skipped-budget · 2,400 tokens · cost 0.0300 CNY');
    expect(markdown).toContain('| ok | success | 3 | 1,200 | 25% | 0.0100 CNY | 1.5 s | 2 | `sprout/b/ok` |');
    expect(markdown).toContain('| bad\\|pipe | error |');
    expect(markdown).toContain('- **bad\\|pipe** (error): HTTP 400 more');
  });

  it('exits 1 on any failure, else 3 when tasks were left undone, else 0', () => {
    expect(summarizeRows(rows).exitCode).toBe(1);
    expect(summarizeRows([rows[0]!, rows[2]!]).exitCode).toBe(3);
    expect(summarizeRows([rows[0]!]).exitCode).toBe(0);
    expect(summarizeRows([]).exitCode).toBe(0);
  });

  it('merges the reports of several directories and refuses a task found twice', () => {
    const root = tempDir('sprout-reports-');
    const [one, two] = [join(root, 'one'), join(root, 'two')];
    mkdirSync(one);
    mkdirSync(two);
    writeFileSync(join(one, 'report.jsonl'), reportJsonl([rows[0]!]));
    writeFileSync(join(two, 'report.jsonl'), reportJsonl([rows[1]!, rows[2]!]));
    expect(mergeReports([one, two]).map((r) => r.id)).toEqual(['ok', 'bad|pipe', 'later']);
    expect(() => mergeReports([one, two, one])).toThrow(/task "ok" is in both .*one and .*one/);
    expect(() => mergeReports([root])).toThrow(InputError);
  });
});

describe('the batch directory lock', () => {
  it('refuses a directory another live batch holds, and takes over a dead one', async () => {
    const dir = tempDir('sprout-lock-');
    const lock = join(dir, 'lock');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)', 'batch'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => other.once('spawn', resolve));
      writeFileSync(lock, String(other.pid));
      expect(() => acquireLock(lock)).toThrow(/in use by process \d+/);
    } finally {
      other.kill('SIGKILL');
    }
    await new Promise((resolve) => other.once('exit', resolve));
    const release = acquireLock(lock); // the holder is gone: a stale lock
    expect(existsSync(lock)).toBe(true);
    release();
    expect(existsSync(lock)).toBe(false);
  });
});
