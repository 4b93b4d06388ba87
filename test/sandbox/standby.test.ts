// Containers set up ahead of their calls (sandbox/standby.ts), with real bwrap and real cgroups: a
// call on a container set up earlier still gets the layout of the host as it is at the call, its own
// cgroup and nothing of sprout's plumbing; a cut or forged call runs nothing; close() leaves nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import { probeBwrap } from '../../sandbox/bwrap-probe.js';
import { detectCgroups } from '../../sandbox/cgroup-host.js';
import { watchProcess } from '../../sandbox/exec.js';
import { release, startStandby, type StandbySpec } from '../../sandbox/standby.js';
import type { Sandbox } from '../../sandbox/types.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
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
  it('each call runs in its own working directory, environment and pid namespace, and holds no pipe of sprout\'s', async () => {
    const root = tempDir();
    const box = await warmSandbox(root);
    await box.exec('mkdir -p sub', limits);
    const fds = 'for fd in /proc/$$/fd/*; do [ "${fd##*/}" -gt 2 ] && readlink "$fd"; done; true';
    const [a, b] = await Promise.all([
      box.exec(`pwd; echo "$$ \${SPROUT_CALL_END-none} \${d-none} \${c-none}"; ${fds}`, { ...limits, cwd: 'sub' }),
      box.exec('pwd; echo "$$"', limits),
    ]);
    const [cwd, vars, ...open] = a.output.trim().split('\n');
    expect([a.exitCode, cwd, vars]).toEqual([0, path.join(root, 'sub'), '2 none none none']);
    expect(b).toMatchObject({ exitCode: 0, output: `${root}\n2\n` });
    // Beyond stdin, stdout and stderr only what sprout itself inherited may be open: never the pipe the arguments came through.
    const inherited = new Set(readdirSync('/proc/self/fd').map((fd) => readlinkOrEmpty(`/proc/self/fd/${fd}`)));
    expect(open.filter((target) => !inherited.has(target))).toEqual([]);
  });

  it('passes the command text untouched, short or long: quotes, backslashes, newlines, $ and a leading dash', async () => {
    const box = await warmSandbox(tempDir());
    const command = "printf '%s|' \"a b\" '$HOME' -n ' x\\n '\necho \"\\$1=${1-unset} $# ${c-} ${d-}\"";
    expect((await box.exec(command, limits)).output).toBe('a b|$HOME|-n| x\\n |$1=unset 0  \n');
    const long = `: '${'x'.repeat(10_000)}'\n${command}\n\n`;
    expect((await box.exec(long, limits)).output).toBe('a b|$HOME|-n| x\\n |$1=unset 0  \n');
  });

  it('runs the command as `bash -c` would: set -e holds, exit codes and syntax errors come back, $0 is bash', async () => {
    const box = await warmSandbox(tempDir());
    const results = await Promise.all(
      ['set -e; false; echo after', 'echo "$0"; exit 7', 'echo start; if then', 'true && false || echo fallback'].map((command) => box.exec(command, limits)),
    );
    expect(results.map((r) => r.exitCode)).toEqual([1, 7, 2, 0]);
    expect(results[0]!.output).toBe('');
    expect(results[1]!.output).toBe('bash\n');
    expect(results[2]!.output).toMatch(/^bash: .*syntax error near unexpected token `then'/);
    expect(results[3]!.output).toBe('fallback\n');
  });

  it('a NUL byte in a command cannot add bwrap options: the call is refused and nothing runs', async () => {
    const root = tempDir();
    const box = await warmSandbox(root);
    const forged = `touch ${root}/ran\0--bind\0/\0/`;
    await expect(box.exec(forged, limits)).rejects.toThrow(/NUL byte/);
    expect(existsSync(path.join(root, 'ran'))).toBe(false);
    expect((await box.exec('echo next', limits)).output).toBe('next\n');
  });

  it('a call cut short (sprout killed while writing it) runs nothing', async () => {
    const probe = await probeBwrap();
    if (!probe.ok) throw new Error(probe.cause);
    const root = tempDir();
    const spec: StandbySpec<string[]> = {
      bwrap: probe.path,
      flags: ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'],
      layout: (layoutArgs) => layoutArgs,
      limits: ['ulimit -S -H -u 512'],
      env: { PATH: '/usr/bin:/bin' },
      cwd: root,
      cgroups: await detectCgroups(),
      callLimits: { processes: 512 },
    };
    const built = { facts: ['--ro-bind', '/', '/', '--bind', root, root], stamp: 'test' };
    // Cut inside the command, and a whole command whose end mark is not this container's.
    const calls = [
      `${root}\0short\0touch ${root}/ran; echo r`,
      `${root}\0short\0touch ${root}/ran; echo ran\0not-the-end-mark`,
      `${root}\0long\0touch ${root}/ran; echo ran\nnot-the-end-mark`,
    ];
    for (const call of calls) {
      const standby = startStandby(spec, built);
      standby.process.inputs[0]?.end(Buffer.from(`${built.facts.join('\0')}\0`));
      standby.process.inputs[1]?.end(Buffer.from(call));
      const result = await watchProcess(standby.process, limits);
      await release(standby);
      expect(result.exitCode, result.output).toBe(125);
      expect(result.output).toMatch(/incomplete; nothing was run/);
      expect(existsSync(path.join(root, 'ran'))).toBe(false);
    }
  });

  it('a .git removed and made again on the host between calls is the new one for the next call, read-only', async () => {
    const root = tempRepo({ 'a.txt': 'a\n' });
    const box = await warmSandbox(root);
    expect((await box.exec('true', limits)).exitCode).toBe(0);
    // Same path, another directory: the containers set up before hold the old one.
    rmSync(path.join(root, '.git'), { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: root });
    writeFileSync(path.join(root, '.git', 'marker'), 'new\n');
    const next = await box.exec('cat .git/marker; touch .git/hooks/x', limits);
    expect(next.output).toMatch(/^new\n.*Read-only file system/s);
  });

  it('close() stops the processes started ahead and removes their cgroups', async () => {
    const box = await warmSandbox(tempDir());
    await box.exec('true', limits);
    box.warm?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const waiting = pgrep('bwrap --args 3 ').filter((pid) => isChildOfUs(pid));
    expect(waiting.length).toBeGreaterThan(0);
    await box.close();
    opened.splice(opened.indexOf(box), 1);
    expect(pgrep('bwrap --args 3 ').filter((pid) => waiting.includes(pid))).toEqual([]);
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
