// Processes started ahead of their calls (sandbox/standby.ts), with real bwrap and real cgroups: a
// call on a process started earlier still gets its own fresh layout, its own cgroup and nothing of
// sprout's plumbing; a cut or forged argument list runs nothing; close() leaves nothing behind.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import { probeBwrap } from '../../sandbox/bwrap-probe.js';
import { detectCgroups } from '../../sandbox/cgroup-host.js';
import { watchProcess } from '../../sandbox/exec.js';
import { release, standbyInput, startStandby, type StandbySpec } from '../../sandbox/standby.js';
import type { Sandbox } from '../../sandbox/types.js';
import { tempDir } from '../helpers/temp-repo.js';
import { pgrep } from './process-helpers.js';

const limits = { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 };
const hostEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: '/root' };
const opened: Sandbox[] = [];

afterEach(async () => {
  for (const sandbox of opened.splice(0)) await sandbox.close();
});

async function warmSandbox(root: string): Promise<Sandbox> {
  const sandbox = await createBwrapSandbox({ root, hostEnv });
  opened.push(sandbox);
  sandbox.warm?.();
  return sandbox;
}

/** Call cgroups of this process that exist now (`sprout-<pid>-<n>` under the pids parent). */
async function ownCgroups(): Promise<string[]> {
  const host = await detectCgroups();
  const parent = host.kind === 'v2' ? host.parent : host.kind === 'v1' ? host.pidsParent : undefined;
  return parent ? readdirSync(parent).filter((name) => name.startsWith(`sprout-${process.pid}-`)) : [];
}

describe('calls on processes started ahead', () => {
  it('a .git made by one call is read-only for the next, though its process was started before', async () => {
    const root = tempDir();
    const box = await warmSandbox(root);
    expect((await box.exec('git init -q && echo ok', limits)).output).toBe('ok\n');
    const attack = await box.exec('echo pwned > .git/hooks/pre-commit', limits);
    expect(attack.output).toMatch(/Read-only file system/);
    expect(existsSync(path.join(root, '.git/hooks/pre-commit'))).toBe(false);
  });

  it('each call runs in its own working directory, environment and pid namespace, and holds no pipe of sprout\'s', async () => {
    const root = tempDir();
    const box = await warmSandbox(root);
    await box.exec('mkdir -p sub', limits);
    const fds = 'for fd in /proc/$$/fd/*; do [ "${fd##*/}" -gt 2 ] && readlink "$fd"; done; true';
    const [a, b] = await Promise.all([
      box.exec(`pwd; echo "$$ \${SPROUT_CALL_COMMAND-none} \${SPROUT_CALL_END-none}"; ${fds}`, { ...limits, cwd: 'sub' }),
      box.exec('pwd; echo "$$"', limits),
    ]);
    const [cwd, vars, ...open] = a.output.trim().split('\n');
    expect([a.exitCode, cwd, vars]).toEqual([0, path.join(root, 'sub'), '2 none none']);
    expect(b).toMatchObject({ exitCode: 0, output: `${root}\n2\n` });
    // Beyond stdin, stdout and stderr only what sprout itself inherited may be open: never the pipe the arguments came through.
    const inherited = new Set(readdirSync('/proc/self/fd').map((fd) => readlinkOrEmpty(`/proc/self/fd/${fd}`)));
    expect(open.filter((target) => !inherited.has(target))).toEqual([]);
  });

  it('passes the command text untouched: quotes, newlines, $ and a leading dash', async () => {
    const box = await warmSandbox(tempDir());
    const command = "printf '%s|' \"a b\" '$HOME' -n\necho \"\\$1=${1-unset}\"";
    expect((await box.exec(command, limits)).output).toBe('a b|$HOME|-n|$1=unset\n');
  });

  it('a NUL byte in a command cannot add bwrap options: the call is refused and nothing runs', async () => {
    const root = tempDir();
    const box = await warmSandbox(root);
    const forged = `touch ${root}/ran\0--bind\0/\0/`;
    await expect(box.exec(forged, limits)).rejects.toThrow(/NUL byte/);
    expect(existsSync(path.join(root, 'ran'))).toBe(false);
    expect((await box.exec('echo next', limits)).output).toBe('next\n');
  });

  it('an argument list cut short (sprout killed while writing it) runs nothing', async () => {
    const probe = await probeBwrap();
    if (!probe.ok) throw new Error(probe.cause);
    const root = tempDir();
    const spec: StandbySpec = {
      bwrap: probe.path,
      flags: ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'],
      limits: ['ulimit -S -H -u 512'],
      env: { PATH: '/usr/bin:/bin' },
      cwd: root,
      cgroups: await detectCgroups(),
      callLimits: { processes: 512 },
    };
    const whole = standbyInput(['--ro-bind', '/', '/', '--bind', root, root, '--chdir', root], `touch ${root}/ran; echo ran`);
    // Cut inside the command, and just before the end mark: neither may run the command.
    for (const cut of [whole.indexOf('touch') + 8, whole.lastIndexOf('SPROUT_CALL_END') + 4]) {
      const standby = startStandby(spec);
      standby.process.input?.end(whole.subarray(0, cut));
      const result = await watchProcess(standby.process, limits);
      await release(standby);
      // bwrap refuses a list cut inside an option's value; the shell refuses one without the end mark.
      expect(result.exitCode, result.output).not.toBe(0);
      expect(result.output).toMatch(/incomplete; nothing was run|takes two arguments/);
      expect(result.output).not.toContain('ran');
      expect(existsSync(path.join(root, 'ran'))).toBe(false);
    }
  });

  it('close() stops the processes started ahead and removes their cgroups', async () => {
    const box = await warmSandbox(tempDir());
    await box.exec('true', limits);
    box.warm?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const waiting = pgrep(`bwrap --args 3 .*sprout-limits$`).filter((pid) => isChildOfUs(pid));
    expect(waiting.length).toBeGreaterThan(0);
    await box.close();
    opened.splice(opened.indexOf(box), 1);
    expect(pgrep(`bwrap --args 3 .*sprout-limits$`).filter((pid) => waiting.includes(pid))).toEqual([]);
    expect(await ownCgroups()).toEqual([]);
  });
});

/** True for a process whose parent is this test process. */
function isChildOfUs(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
  } catch {
    return false;
  }
}

function readlinkOrEmpty(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}
