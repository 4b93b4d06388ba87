// Shards of one YAML manifest (directories outside git, so each task runs in a copy and ends as a
// patch): --shard 1/3, 2/3 and 3/3 together run every task exactly once, `sprout batch report` merges
// their reports and refuses a task reported twice, and an invalid manifest is a usage error (exit 2).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shardOf } from '../../src/batch/shard.js';
import { contentText, type RecordedRequest, type ScriptedTurn } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

// Ids whose sha1 shards are 3, 1 and 3 tasks: no shard is empty.
const IDS = ['task-1', 'task-2', 'task-3', 'task-4', 'task-5', 'task-6', 'task-7'];

/** A folder with d1..d7 (not a git repository) and tasks.yaml listing one task per folder. */
function shardFixture(): string {
  const dir = tempDir('sprout-shards-');
  for (const [i, id] of IDS.entries()) {
    mkdirSync(join(dir, `d${i + 1}`));
    writeFileSync(join(dir, `d${i + 1}`, 'notes.txt'), `${id}\n`);
  }
  const yaml = IDS.map((id, i) => `  - id: ${id}\n    cwd: d${i + 1}\n    prompt: do ${id}\n`).join('');
  writeFileSync(join(dir, 'tasks.yaml'), `# seven small tasks\ntasks:\n${yaml}`);
  return dir;
}

describe('sprout batch shards', () => {
  it('shards 1/3, 2/3 and 3/3 cover every task exactly once and merge into one report', async () => {
    const dir = shardFixture();
    const seen: string[] = [];
    const dispatcher = (req: RecordedRequest): ScriptedTurn => {
      const task = /do (task-\d)/.exec(contentText(req.body.messages?.[1]?.content))?.[1] ?? 'unknown';
      const answered = (req.body.messages ?? []).some((m) => m.role === 'tool');
      if (!answered) seen.push(task);
      // task-1 writes a file, so its patch is not empty; the others only answer.
      if (task === 'task-1' && !answered) return { toolCalls: [{ name: 'write_file', arguments: { path: 'new.txt', content: 'made by task-1\n' } }] };
      return { content: `Finished ${task}.` };
    };
    const server = await startServer({ script: [dispatcher], repeatLast: true });
    const common = ['--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url];
    const env = { SPROUT_API_KEY: 'k' };
    const states = [1, 2, 3].map((i) => join(dir, `state-${i}`));
    const runs = await Promise.all(states.map((state, i) => runCli(['batch', 'tasks.yaml', '--shard', `${i + 1}/3`, '--state', state, ...common], { cwd: dir, env })));
    for (const [i, run] of runs.entries()) {
      expect(run.code, run.stderr).toBe(0);
      const ended = run.events.filter((e) => e.type === 'task_end').map((e) => String(e.id));
      expect(ended.length).toBeGreaterThan(0);
      expect(ended.sort()).toEqual(IDS.filter((id) => shardOf(id, 3) === i + 1));
    }
    expect(seen.sort()).toEqual(IDS);

    const merged = await runCli(['batch', 'report', ...states, '--json', '--out', join(dir, 'merged')], { cwd: dir });
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.events.map((row) => row.id).sort()).toEqual(IDS);
    expect(merged.events.every((row) => row.status === 'success')).toBe(true);
    const markdown = readFileSync(join(dir, 'merged/report.md'), 'utf8');
    for (const id of IDS) expect(markdown).toContain(`| ${id} | success |`);
    const table = await runCli(['batch', 'report', ...states], { cwd: dir });
    expect(table.stdout).toBe(markdown);

    // A task outside git ends as a patch against its folder, which itself is untouched.
    const first = merged.events.find((row) => row.id === 'task-1')!;
    expect(readFileSync(String(first.patch), 'utf8')).toContain('+made by task-1');
    expect(existsSync(join(dir, 'd1/new.txt'))).toBe(false);

    const twice = await runCli(['batch', 'report', states[0]!, states[1]!, states[0]!], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/task "task-\d" is in both .*state-1 and .*state-1/);

    // Running a shard again finds every task done: no request, the same report.
    const before = server.requests.length;
    const again = await runCli(['batch', 'tasks.yaml', '--shard', '1/3', '--state', states[0]!, ...common], { cwd: dir, env });
    expect(again.code).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(again.events.filter((e) => e.type === 'task_skip').every((e) => e.reason === 'done')).toBe(true);
  }, 60_000);

  it('without --shard, a GitLab parallel job (CI_NODE_INDEX/CI_NODE_TOTAL) runs its own shard', async () => {
    const dir = shardFixture();
    const server = await startServer({ script: [{ content: 'Finished.' }], repeatLast: true });
    const run = await runCli(['batch', 'tasks.yaml', '--state', join(dir, 'state'), '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url], {
      cwd: dir, env: { SPROUT_API_KEY: 'k', CI_NODE_INDEX: '2', CI_NODE_TOTAL: '3' },
    });
    expect(run.code, run.stderr).toBe(0);
    const ended = run.events.filter((e) => e.type === 'task_end').map((e) => String(e.id));
    expect(ended.sort()).toEqual(IDS.filter((id) => shardOf(id, 3) === 2));
    expect(run.events.find((e) => e.type === 'batch_start')).toMatchObject({ shard: '2/3' });
  });

  it('an invalid manifest names the file, the task and the field, and exits 2', async () => {
    const dir = shardFixture();
    writeFileSync(join(dir, 'bad.yaml'), 'tasks:\n  - {id: a, cwd: d1, prompt: x}\n  - {id: b, cwd: d2}\n  - {id: "c/d", cwd: d3, prompt: y, max_cost: -1}\n');
    const bad = await runCli(['batch', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid manifest bad.yaml');
    expect(bad.stderr).toContain('task 2 (id "b"): prompt: a task needs a prompt or an issue');
    expect(bad.stderr).toMatch(/task 3 \(id "c\/d"\): id: must be .*; task 3 \(id "c\/d"\): max_cost: /);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace

    writeFileSync(join(dir, 'bad.jsonl'), '{"id":"a","cwd":"d1","prompt":"x"}\n{"id":"b", cwd}\n');
    const jsonl = await runCli(['batch', 'bad.jsonl'], { cwd: dir });
    expect(jsonl.code).toBe(2);
    expect(jsonl.stderr).toContain('bad.jsonl line 2 is not valid JSON');

    writeFileSync(join(dir, 'missing.json'), JSON.stringify([{ id: 'a', cwd: 'nowhere', prompt: 'x' }]));
    const missing = await runCli(['batch', 'missing.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing\.json: task 1 \(id "a"\): cwd: .*nowhere is not a directory/);

    const both = await runCli(['batch', 'tasks.yaml', '--dirs', 'd*', '--prompt', 'x'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('pass a MANIFEST or --dirs, not both');
    const shard = await runCli(['batch', 'tasks.yaml', '--shard', '0/3'], { cwd: dir });
    expect(shard.code).toBe(2);
    expect(shard.stderr).toContain('expected 1 <= I <= N');
  });
});
