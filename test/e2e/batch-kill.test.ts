// kill -9 of `sprout batch` cannot be trapped, so its task processes watch their batch: they stop by
// themselves (their commands too), nothing keeps spending, and a re-run finishes the rest.
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

it('kill -9 of a batch leaves no task process alive, and a re-run finishes every task', async () => {
  const repo = tempRepo({ 'packages/p1/index.js': 'var p1 = 1;\n', 'packages/p2/index.js': 'var p2 = 1;\n' });
  const slow = uniqueSleep(60);
  const edit = `sed -i 's/var/const/' index.js && echo EDITED`;
  let batch: import('node:child_process').ChildProcess | undefined;
  let killed = false;
  const dispatcher = (req: RecordedRequest): ScriptedTurn => {
    const pkg = taskOf(req);
    const last = (req.body.messages ?? []).at(-1);
    if (last?.role === 'tool' && contentText(last.content).includes('EDITED')) return { content: `Done with ${pkg}.` };
    if (pkg === 'p1' && !killed) {
      killed = true;
      setTimeout(() => batch?.kill('SIGKILL'), 700); // while p1 is inside its minute-long command
      return { toolCalls: [{ name: 'shell', arguments: { command: `${slow.command} && ${edit}` } }] };
    }
    return { toolCalls: [{ name: 'shell', arguments: { command: edit } }] };
  };
  const server = await startServer({ script: [dispatcher], repeatLast: true });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const args = ['batch', '--dirs', 'packages/*', '--prompt', 'use const', '-j', '1', '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url];
  const first = await runCli(args, { cwd: repo, env, onLine: (_line, child) => (batch = child) });
  expect(first.signal).toBe('SIGKILL');

  const task = JSON.parse(readFileSync(join(repo, '.sprout-batch/dirs/state.json'), 'utf8')).tasks.p1 as { pid: number; status: string };
  expect(task.status).toBe('running');
  expect(await gone(task.pid)).toBe(true);
  expect(await survivors(slow.pattern)).toEqual([]);
  const requestsBeforeRerun = server.requests.length;

  const second = await runCli(args, { cwd: repo, env });
  expect(second.code, second.stderr).toBe(0);
  expect(second.events.filter((e) => e.type === 'task_start').map((e) => [e.id, e.resumed])).toEqual([['p1', true], ['p2', false]]);
  expect(server.requests.length).toBeGreaterThan(requestsBeforeRerun);
  const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, encoding: 'utf8' });
  for (const p of ['p1', 'p2']) expect(git('show', `sprout/dirs/${p}:packages/${p}/index.js`)).toBe(`const ${p} = 1;\n`);
}, 90_000);
