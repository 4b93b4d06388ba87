// Must-hold 4 of issue 11: the host-side file tools answer at once on special files (a FIFO that no
// one writes, a socket) and refuse a huge sparse file by its size, without reading it into sprout's
// memory. Real CLI, real bwrap, a scripted model; the CLI's peak RSS is read from /proc.
import { execFileSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { ScriptedToolCall } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const GIB = 1024 ** 3;

/** read_file, write_file and edit_file on one path. */
function threeCalls(path: string): ScriptedToolCall[] {
  return [
    { id: `read-${path}`, name: 'read_file', arguments: { path } },
    { id: `write-${path}`, name: 'write_file', arguments: { path, content: 'x\n' } },
    { id: `edit-${path}`, name: 'edit_file', arguments: { path, old_string: 'a', new_string: 'b' } },
  ];
}

async function listenOn(path: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
}

/** Peak resident memory of a live process, in MiB, from /proc/PID/status. */
function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

it('read_file, write_file and edit_file on a FIFO and a socket answer an error at once, and a FIFO AGENTS.md is skipped', async () => {
  const repo = tempRepo({ 'README.md': 'x\n' });
  execFileSync('mkfifo', [join(repo, 'pipe')]);
  // A FIFO as AGENTS.md must not stop the run from starting either.
  execFileSync('mkfifo', [join(repo, 'AGENTS.md')]);
  await listenOn(join(repo, 'sock'));
  const server = await startServer({ script: [{ toolCalls: [...threeCalls('pipe'), ...threeCalls('sock')] }, { content: 'done' }] });
  const started = Date.now();
  const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'touch special files'], {
    env: { SPROUT_API_KEY: 'k' },
    timeoutMs: 30_000,
  });
  expect(run.code, run.stderr).toBe(0);
  // Well under the 30 s in which the old code never returned from the FIFO.
  expect(Date.now() - started).toBeLessThan(20_000);
  const results = run.events.filter((e) => e.type === 'tool_result') as unknown as Array<{ id: string; ok: boolean; output: string }>;
  // Results arrive as calls finish; each one is an error that names the kind of file.
  expect(results.map((r) => r.id).sort()).toEqual(['edit-pipe', 'edit-sock', 'read-pipe', 'read-sock', 'write-pipe', 'write-sock']);
  for (const r of results) {
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(r.id.endsWith('pipe') ? /pipe is a FIFO \(named pipe\), not a regular file/ : /sock is a socket, not a regular file/);
  }
  expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('x\n');
}, 60_000);

it('a 2 GiB and a 1.5 GiB sparse file are refused by size without being read (sprout stays under 200 MB)', async () => {
  const repo = tempRepo({ 'README.md': 'x\n' });
  for (const [name, size] of [['huge.log', 2 * GIB], ['big.log', 1.5 * GIB]] as const) {
    writeFileSync(join(repo, name), '');
    truncateSync(join(repo, name), size);
  }
  let pid = 0;
  let peak = Number.NaN;
  const server = await startServer({
    script: [
      { toolCalls: [{ name: 'read_file', arguments: { path: 'huge.log' } }, { name: 'read_file', arguments: { path: 'big.log' } }, { name: 'edit_file', arguments: { path: 'big.log', old_string: 'a', new_string: 'b' } }] },
      () => {
        // The CLI is alive and waiting for this answer, after the three calls ran.
        peak = peakRssMb(pid);
        return { content: 'done' };
      },
    ],
  });
  const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'read big files'], {
    env: { SPROUT_API_KEY: 'k' },
    timeoutMs: 60_000,
    onLine: (_line, child) => (pid ||= child.pid ?? 0),
  });
  expect(run.code, run.stderr).toBe(0);
  // The three calls run side by side and their results come as they finish: put them in call order.
  const order = run.events.filter((e) => e.type === 'tool_call').map((e) => e.id);
  const results = (run.events.filter((e) => e.type === 'tool_result') as unknown as Array<{ id: string; ok: boolean; output: string }>).sort(
    (a, b) => order.indexOf(a.id) - order.indexOf(b.id),
  );
  expect(results.map((r) => r.ok)).toEqual([false, false, false]);
  expect(results[0]!.output).toMatch(/huge\.log is 2\.0 GiB, more than the 32 MiB file tools read/);
  expect(results[1]!.output).toMatch(/big\.log is 1\.5 GiB, more than the 32 MiB file tools read/);
  expect(results[2]!.output).toMatch(/big\.log is 1\.5 GiB/);
  expect(peak).toBeLessThan(200);
}, 90_000);
