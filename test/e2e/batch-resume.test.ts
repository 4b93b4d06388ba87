// A batch killed midway (SIGKILL, so it cannot tidy up) and run again with the same command finishes
// only the tasks that had not finished: the finished ones make no model request the second time,
// and no task process of the killed batch is left running.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { contentText, type RecordedRequest, type ScriptedTurn } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { survivors, uniqueSleep } from '../sandbox/process-helpers.js';

const startServer = fakeServerPerTest();

const PACKAGES = ['p1', 'p2', 'p3', 'p4', 'p5'];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
  } catch {
    return false;
  }
}

/** Waits (generously: the machine may be loaded) until `pid` is gone; true if it went. */
async function gone(pid: number, withinMs = 20_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < withinMs; await sleep(100)) if (!alive(pid)) return true;
  return false;
}

function taskOf(req: RecordedRequest): string {
  return /Working directory: .*\/([^/\n]+)\n/.exec(contentText(req.body.messages?.[0]?.content))?.[1] ?? 'unknown';
}

it('a batch killed after 2 of 5 tasks, run again, runs only the other 3 and ends with 5 branches', async () => {
  const files = Object.fromEntries(PACKAGES.map((p) => [`packages/${p}/index.js`, `var ${p} = 1;\n`]));
  const repo = tempRepo(files);
  let seen = new Set<string>();
  // Each task: a shell call that takes a moment and makes the change, then a final answer.
  const dispatcher = (req: RecordedRequest): ScriptedTurn => {
    const pkg = taskOf(req);
    seen.add(pkg);
    if ((req.body.messages ?? []).some((m) => m.role === 'tool')) return { content: `Done with ${pkg}.` };
    return { toolCalls: [{ name: 'shell', arguments: { command: `sleep 0.3 && sed -i 's/var/const/' index.js` } }] };
  };
  const server = await startServer({ script: [dispatcher], repeatLast: true });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const args = ['batch', '--dirs', 'packages/*', '--prompt', 'use const', '--concurrency', '1', '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url];

  const finished: string[] = [];
  const first = await runCli(args, {
    cwd: repo, env,
    onLine(line, child) {
      const event = JSON.parse(line) as { type: string; id?: string };
      if (event.type === 'task_end') finished.push(event.id!);
      if (finished.length === 2) child.kill('SIGKILL');
    },
  });
  expect(first.signal).toBe('SIGKILL');
  expect(finished).toEqual(['p1', 'p2']);

  seen = new Set();
  const second = await runCli(args, { cwd: repo, env });
  expect(second.code, second.stderr).toBe(0);
  expect([...seen].sort()).toEqual(['p3', 'p4', 'p5']);
  expect(second.events.filter((e) => e.type === 'task_skip').map((e) => e.id)).toEqual(['p1', 'p2']);
  expect(second.events.filter((e) => e.type === 'task_end').map((e) => [e.id, e.status])).toEqual([['p3', 'success'], ['p4', 'success'], ['p5', 'success']]);

  const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, encoding: 'utf8' });
  for (const p of PACKAGES) expect(git('show', `sprout/dirs/${p}:packages/${p}/index.js`)).toBe(`const ${p} = 1;\n`);
  const rows = readFileSync(join(repo, '.sprout-batch/dirs/report.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(rows.map((r) => [r.id, r.status])).toEqual(PACKAGES.map((p) => [p, 'success']));
  expect(server.unexpected).toEqual([]);
}, 60_000);

it('a task running when the batch is killed stops by itself, and is resumed from its saved session in its worktree', async () => {
  const files = Object.fromEntries(['p1', 'p2', 'p3'].map((p) => [`packages/${p}/index.js`, `var ${p} = 1;\n`]));
  const repo = tempRepo(files);
  let batch: import('node:child_process').ChildProcess | undefined;
  let killed = false;
  const requests: Array<{ pkg: string; run: number; messages: number }> = [];
  let run = 1;
  const edit = `sed -i 's/var/const/' index.js && echo EDITED`;
  const slow = uniqueSleep(60);
  const dispatcher = (req: RecordedRequest): ScriptedTurn => {
    const pkg = taskOf(req);
    const messages = req.body.messages ?? [];
    requests.push({ pkg, run, messages: messages.length });
    const last = messages.at(-1);
    if (last?.role === 'tool' && contentText(last.content).includes('EDITED')) return { content: `Done with ${pkg}.` };
    if (pkg === 'p2' && !killed) {
      // Kill the batch while p2's child is in the middle of this slow command.
      killed = true;
      setTimeout(() => batch?.kill('SIGKILL'), 500);
      return { toolCalls: [{ name: 'shell', arguments: { command: `${slow.command} && ${edit}` } }] };
    }
    return { toolCalls: [{ name: 'shell', arguments: { command: edit } }] };
  };
  const server = await startServer({ script: [dispatcher], repeatLast: true });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const args = ['batch', '--dirs', 'packages/*', '--prompt', 'use const', '-j', '1', '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url];
  const first = await runCli(args, { cwd: repo, env, onLine: (_line, child) => (batch = child) });
  expect(first.signal).toBe('SIGKILL');
  const leftover = JSON.parse(readFileSync(join(repo, '.sprout-batch/dirs/state.json'), 'utf8')).tasks.p2.pid as number;
  // SIGKILL reaches only the batch, but p2's child watches its batch: it stops, and so does its
  // minute-long command, before anything runs again.
  expect(await gone(leftover)).toBe(true);
  expect(await survivors(slow.pattern)).toEqual([]);

  run = 2;
  const second = await runCli(args, { cwd: repo, env });
  expect(second.code, second.stderr).toBe(0);
  const starts = second.events.filter((e) => e.type === 'task_start').map((e) => [e.id, e.resumed]);
  expect(starts).toEqual([['p2', true], ['p3', false]]);
  // The resumed run continued p2's conversation (its slow call answered as interrupted), not a new one.
  const resumedFirst = requests.find((r) => r.run === 2 && r.pkg === 'p2')!;
  expect(resumedFirst.messages).toBeGreaterThan(3);
  expect(requests.filter((r) => r.run === 2).map((r) => r.pkg)).not.toContain('p1');
  const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, encoding: 'utf8' });
  for (const p of ['p1', 'p2', 'p3']) expect(git('show', `sprout/dirs/${p}:packages/${p}/index.js`)).toBe(`const ${p} = 1;\n`);
}, 60_000);

it('SIGINT stops the batch with exit 130, its running tasks interrupted, and a re-run resumes them', async () => {
  const repo = tempRepo({ 'packages/p1/index.js': 'var p1 = 1;\n', 'packages/p2/index.js': 'var p2 = 1;\n' });
  let batch: import('node:child_process').ChildProcess | undefined;
  const waiting = new Set<string>();
  const edit = `sed -i 's/var/const/' index.js && echo EDITED`;
  let interrupted = false;
  const dispatcher = (req: RecordedRequest): ScriptedTurn => {
    const pkg = taskOf(req);
    const last = (req.body.messages ?? []).at(-1);
    if (last?.role === 'tool' && contentText(last.content).includes('EDITED')) return { content: `Done with ${pkg}.` };
    if (interrupted) return { toolCalls: [{ name: 'shell', arguments: { command: edit } }] };
    waiting.add(pkg);
    // Both tasks are inside a slow command: interrupt the batch as a user at the terminal would.
    if (waiting.size === 2) {
      interrupted = true;
      setTimeout(() => batch?.kill('SIGINT'), 400);
    }
    return { toolCalls: [{ name: 'shell', arguments: { command: `sleep 30 && ${edit}` } }] };
  };
  const server = await startServer({ script: [dispatcher], repeatLast: true });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const args = ['batch', '--dirs', 'packages/*', '--prompt', 'use const', '-j', '2', '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url];
  const started = Date.now();
  const first = await runCli(args, { cwd: repo, env, onLine: (_line, child) => (batch = child) });
  expect(first.code, first.stderr).toBe(130);
  expect(Date.now() - started).toBeLessThan(20_000); // its commands sleep 30 s: they were stopped
  expect(first.events.filter((e) => e.type === 'task_end').map((e) => e.status)).toEqual(['interrupted', 'interrupted']);
  expect(first.events.at(-1)).toMatchObject({ type: 'batch_result', status: 'interrupted', exit_code: 130 });
  const rows = readFileSync(join(repo, '.sprout-batch/dirs/report.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(rows.map((r) => r.status)).toEqual(['interrupted', 'interrupted']);

  const second = await runCli(args, { cwd: repo, env });
  expect(second.code, second.stderr).toBe(0);
  expect(second.events.filter((e) => e.type === 'task_start').map((e) => e.resumed)).toEqual([true, true]);
  const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, encoding: 'utf8' });
  for (const p of ['p1', 'p2']) expect(git('show', `sprout/dirs/${p}:packages/${p}/index.js`)).toBe(`const ${p} = 1;\n`);
}, 60_000);
