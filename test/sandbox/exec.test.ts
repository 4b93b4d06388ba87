// runProcess with real bash processes: status, combined output, caps, timeouts, aborts and cleanup.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, type RunProcessOptions } from '../../sandbox/exec.js';
import { survivors, uniqueSleep } from './process-helpers.js';

let cwd: string;

beforeAll(async () => {
  cwd = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'sprout-exec-')));
});

afterAll(async () => {
  await fs.rm(cwd, { recursive: true, force: true });
});

function bash(command: string, options: Partial<RunProcessOptions> = {}) {
  return runProcess('bash', ['-c', command], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: 5000,
    maxOutputBytes: 64 * 1024,
    ...options,
  });
}

describe('runProcess', () => {
  it('reports the exit code and output of a command', async () => {
    const ok = await bash('echo hello');
    expect(ok).toMatchObject({ exitCode: 0, signal: null, output: 'hello\n', totalBytes: 6, omittedBytes: 0, timedOut: false, aborted: false });
    expect((await bash('exit 3')).exitCode).toBe(3);
  });

  it('reports a signal death as exitCode null and the signal name', async () => {
    const result = await bash('kill -TERM $$');
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: false });
  });

  it('interleaves stdout and stderr into one output in the order written', async () => {
    const result = await bash('echo out1; sleep 0.05; echo err1 >&2; sleep 0.05; echo out2');
    expect(result.output).toBe('out1\nerr1\nout2\n');
  });

  it('runs in the given cwd with exactly the given environment', async () => {
    const result = await runProcess('bash', ['-c', 'pwd; echo "${SECRET_THING-unset} $ONLY"'], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ONLY: 'this' },
      timeoutMs: 5000,
      maxOutputBytes: 1000,
    });
    expect(result.output).toBe(`${cwd}\nunset this\n`);
  });

  it('closes stdin so a command waiting for input returns at once', async () => {
    const result = await bash('read x; echo "got:$x"');
    expect(result.output).toBe('got:\n');
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('kills the command and its children on timeout and leaves no process', async () => {
    const sleep = uniqueSleep();
    const result = await bash(`${sleep.command}; echo never`, { timeoutMs: 200 });
    expect(result).toMatchObject({ timedOut: true, aborted: false, exitCode: null, signal: 'SIGKILL' });
    expect(result.output).not.toContain('never');
    expect(result.durationMs).toBeLessThan(3000);
    expect(await survivors(sleep.pattern)).toEqual([]);
  });

  it('returns when the main process exits and kills a background child it left', async () => {
    const sleep = uniqueSleep();
    const result = await bash(`${sleep.command} & echo started`);
    expect(result).toMatchObject({ exitCode: 0, output: 'started\n', timedOut: false });
    expect(result.durationMs).toBeLessThan(3000);
    expect(await survivors(sleep.pattern)).toEqual([]);
  });

  it('kills the process group when the abort signal fires', async () => {
    const sleep = uniqueSleep();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const result = await bash(`echo before; ${sleep.command}`, { signal: controller.signal });
    expect(result).toMatchObject({ aborted: true, timedOut: false, exitCode: null, output: 'before\n' });
    expect(await survivors(sleep.pattern)).toEqual([]);
  });

  it('does not start anything when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await bash('echo ran', { signal: controller.signal });
    expect(result).toMatchObject({ aborted: true, exitCode: null, output: '', totalBytes: 0 });
  });

  it('keeps output within the cap and counts all bytes of a large output', async () => {
    const result = await bash('yes | head -c 50000000', { maxOutputBytes: 10_000 });
    expect(result.exitCode).toBe(0);
    expect(result.totalBytes).toBe(50_000_000);
    expect(result.omittedBytes).toBe(50_000_000 - 10_000);
    expect(result.output).toContain('\n[... 49990000 bytes omitted ...]\n');
    expect(result.output.length).toBeLessThan(10_100);
    expect(result.output.startsWith('y\ny\n')).toBe(true);
    expect(result.output.endsWith('y\ny\n')).toBe(true);
  });

  it('drains an endless output without holding it until the timeout', async () => {
    const before = process.memoryUsage().rss;
    const result = await bash('yes', { timeoutMs: 500, maxOutputBytes: 4096 });
    expect(result.timedOut).toBe(true);
    expect(result.totalBytes).toBeGreaterThan(1_000_000);
    expect(result.output.length).toBeLessThan(4200);
    // Held output would be as large as totalBytes; allow slack for the runtime itself.
    expect(process.memoryUsage().rss - before).toBeLessThan(Math.max(200 * 1024 * 1024, result.totalBytes / 2));
  });

  it('returns binary and invalid UTF-8 output as a string without NUL bytes', async () => {
    const result = await bash("printf '\\xff\\xfe\\x00abc'");
    expect(result.totalBytes).toBe(6);
    expect(result.output).toBe('\uFFFD\uFFFD\uFFFDabc');
  });

  it('reports a program that cannot start as exit code 127 instead of throwing', async () => {
    const result = await runProcess('/nonexistent/bash', ['-c', 'true'], {
      cwd,
      env: {},
      timeoutMs: 1000,
      maxOutputBytes: 1000,
    });
    expect(result.exitCode).toBe(127);
    expect(result.output).toMatch(/failed to start \/nonexistent\/bash: .*ENOENT/);
  });
});
