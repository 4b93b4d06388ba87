// The bwrap backend beyond escapes: the probe and its refusals, fresh HOME and /tmp per call, npm
// inside, limits, extra mounts, worktrees and close().
import { execFileSync } from 'node:child_process';
import { promises as fs, existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBwrapSandbox, type BwrapSandboxOptions } from '../../sandbox/bwrap.js';
import { classifyBwrapFailure, probeBwrap } from '../../sandbox/bwrap-probe.js';
import { SandboxUnavailableError, type Sandbox } from '../../sandbox/types.js';
import { BUGGY_ADD_PROJECT, tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';
import { survivors, uniqueSleep } from './process-helpers.js';

const limits = { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 };
const hostEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: '/root' };
const opened: Sandbox[] = [];
const varTmpDirs: string[] = [];

afterEach(async () => {
  for (const sandbox of opened.splice(0)) await sandbox.close();
});

afterAll(async () => {
  for (const dir of varTmpDirs) await fs.rm(dir, { recursive: true, force: true });
});

async function open(options: Partial<BwrapSandboxOptions> & { root: string }): Promise<Sandbox> {
  const sandbox = await createBwrapSandbox({ hostEnv, ...options });
  opened.push(sandbox);
  return sandbox;
}

/** A directory outside /tmp, so only the sandbox's own mounts decide whether it is visible. */
function varTmpDir(): string {
  const dir = realpathSync(mkdtempSync('/var/tmp/sprout-bwrap-'));
  varTmpDirs.push(dir);
  return dir;
}

describe('probeBwrap', () => {
  it('finds bwrap on PATH, runs it and reports its version', async () => {
    const probe = await probeBwrap();
    expect(probe).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+/), path: expect.stringMatching(/\/bwrap$/) });
  });

  it('classifies a bwrap whose user namespace is refused, from its real output', async () => {
    const bin = tempDir('sprout-fake-bwrap-');
    writeFiles(bin, {
      bwrap: '#!/bin/sh\n[ "$1" = --version ] && { echo "bubblewrap 0.9.0"; exit 0; }\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n',
    });
    await fs.chmod(path.join(bin, 'bwrap'), 0o755);
    const probe = await probeBwrap({ searchPath: `${bin}:/usr/bin:/bin` });
    expect(probe).toMatchObject({ ok: false, problem: 'namespaces-refused' });
    expect(probe.ok ? [] : probe.fixes.join('\n')).toMatch(/sysctl kernel\.apparmor_restrict_unprivileged_userns=0[\s\S]*--sandbox none/);
  });

  it.each([
    ['bwrap: setting up uid map: Permission denied', 'namespaces-refused'],
    ['bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted', 'namespaces-refused'],
    ["bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces.", 'namespaces-refused'],
    ['bwrap: No permissions to create a new namespace, likely because ...', 'namespaces-refused'],
    ['bwrap: Creating new namespace failed: Operation not permitted', 'namespaces-refused'],
    ["bwrap: Can't mount proc on /newroot/proc: Operation not permitted", 'mounts-refused'],
    ['bwrap: Failed to make / slave: Permission denied', 'mounts-refused'],
    ['bwrap: Unknown option --frobnicate', 'other'],
  ])('classifies %j as %s', (output, problem) => {
    const verdict = classifyBwrapFailure(1, `${output}\n`);
    expect(verdict.problem).toBe(problem);
    expect(verdict.cause).toContain(output);
    expect(verdict.fixes.at(-1)).toMatch(/--sandbox none/);
  });
});

describe('createBwrapSandbox refusals', () => {
  it('refuses to start without bwrap and names the cause and the three fixes', async () => {
    const emptyBin = tempDir('sprout-no-bwrap-');
    const attempt = createBwrapSandbox({ root: tempDir(), hostEnv: { PATH: emptyBin, HOME: '/root' } });
    await expect(attempt).rejects.toBeInstanceOf(SandboxUnavailableError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain(`bwrap was not found on PATH=${emptyBin}`);
    expect(message).toContain('apt-get install bubblewrap');
    expect(message).toContain('sysctl kernel.apparmor_restrict_unprivileged_userns=0');
    expect(message).toContain('--sandbox none');
  });

  it('refuses a missing extra mount path, the root /, and a limit that is not a positive whole number', async () => {
    const root = tempDir();
    await expect(createBwrapSandbox({ root, hostEnv, readWrite: ['/nonexistent/cache'] })).rejects.toThrow(/readWrite path "\/nonexistent\/cache" cannot be used/);
    await expect(createBwrapSandbox({ root: '/', hostEnv })).rejects.toThrow(/whole machine writable/);
    await expect(createBwrapSandbox({ root, hostEnv, memoryLimitMb: 0.5 })).rejects.toThrow(/memoryLimitMb must be a positive whole number/);
  });
});

describe('bwrap sandbox commands', () => {
  it('is a bwrap sandbox running bash in the root or a confined cwd', async () => {
    const root = tempDir();
    await fs.mkdir(path.join(root, 'sub'));
    const box = await open({ root });
    expect(box.kind).toBe('bwrap');
    expect((await box.exec('pwd', limits)).output).toBe(`${root}\n`);
    expect((await box.exec('pwd', { ...limits, cwd: 'sub' })).output).toBe(`${root}/sub\n`);
  });

  it('gives every call a fresh, empty HOME and /tmp, and TMPDIR=/tmp', async () => {
    const root = tempDir();
    // A PATH with no toolchain in a hidden place, whose links the HOME would otherwise hold.
    const box = await open({ root, hostEnv: { ...hostEnv, PATH: '/usr/bin:/bin', TMPDIR: '/var/tmp/host-only' } });
    const first = await box.exec('echo x > /tmp/left; echo y > ~/left; echo "$HOME $TMPDIR"', limits);
    expect(first).toMatchObject({ exitCode: 0, output: '/tmp/home /tmp\n' });
    // Besides HOME, /tmp holds only the mount point of the root, which tempDir puts under /tmp.
    const expected = ['home', path.relative('/tmp', root).split('/')[0]!].sort();
    const second = await box.exec('ls -A /tmp ~', limits);
    expect(second.output).toBe(`/tmp:\n${expected.join('\n')}\n\n/tmp/home:\n`);
  });

  it('runs npm test of a small node project with the fresh HOME', async () => {
    const root = tempDir();
    writeFiles(root, { ...BUGGY_ADD_PROJECT, 'math.js': 'export function add(a, b) {\n  return a + b;\n}\n' });
    const box = await open({ root });
    const result = await box.exec('npm test', { ...limits, timeoutMs: 15_000 });
    expect(result.output).toMatch(/# pass 1/);
    expect(result.exitCode).toBe(0);
  });

  it('applies the memory and CPU limits to each process when configured', async () => {
    const box = await open({ root: tempDir(), memoryLimitMb: 256, cpuLimitSeconds: 5 });
    expect((await box.exec('ulimit -d; ulimit -t; node -e "console.log(1)"', limits)).output).toBe('262144\n5\n1\n');
    const hog = await box.exec('node -e "Buffer.alloc(1024 * 1024 * 1024).fill(1); console.log(\'allocated\')"', limits);
    expect(hog.exitCode).not.toBe(0);
    expect(hog.output).not.toContain('allocated');
  });

  it('mounts configured extra paths read-write or read-only', async () => {
    const cache = varTmpDir();
    const tools = tempDir('sprout-tools-');
    writeFiles(tools, { 'tool.txt': 'tool\n' });
    const box = await open({ root: tempDir(), readWrite: [cache], readOnly: [tools] });
    const result = await box.exec(`echo c > ${cache}/entry && cat ${tools}/tool.txt && echo no > ${tools}/tool.txt`, limits);
    expect(result.output).toMatch(/^tool\n.*Read-only file system/);
    expect(readFileSync(path.join(cache, 'entry'), 'utf8')).toBe('c\n');
    expect(readFileSync(path.join(tools, 'tool.txt'), 'utf8')).toBe('tool\n');
  });

  it("protects a worktree's .git file and its git dirs, and git still works inside", async () => {
    const main = tempRepo({ 'a.txt': 'a\n' });
    const worktree = path.join(tempDir(), 'wt');
    execFileSync('git', ['worktree', 'add', '-q', worktree], { cwd: main, stdio: 'pipe' });
    const dotGit = readFileSync(path.join(worktree, '.git'), 'utf8');
    const box = await open({ root: worktree });
    const status = await box.exec('git status --short && git log --format=%s', limits);
    expect(status).toMatchObject({ exitCode: 0, output: 'initial\n' });
    const attack = await box.exec('echo "gitdir: /tmp/evil" > .git; touch "$(git rev-parse --git-common-dir)/hooks/pre-commit"', limits);
    expect(attack.output.match(/Read-only file system/g)).toHaveLength(2);
    expect(readFileSync(path.join(worktree, '.git'), 'utf8')).toBe(dotGit);
    expect(existsSync(path.join(main, '.git/hooks/pre-commit'))).toBe(false);
  });

  it('protects a .git that a previous command created with git init', async () => {
    const root = tempDir();
    const box = await open({ root });
    box.warm?.(); // containers set up before the git init must not serve the next call
    expect((await box.exec('git init -q && echo ok', limits)).output).toBe('ok\n');
    const attack = await box.exec('echo pwned > .git/hooks/pre-commit', limits);
    expect(attack.output).toMatch(/Read-only file system/);
    expect(existsSync(path.join(root, '.git/hooks/pre-commit'))).toBe(false);
  });

  it('a FIFO planted where a worktree names its common dir does not stall the next call', async () => {
    const root = tempDir();
    const box = await open({ root });
    const plant = await box.exec('mkdir gd && mkfifo gd/commondir && echo "gitdir: gd" > .git && echo planted', limits);
    expect(plant.output).toBe('planted\n');
    // The host reads the pointer files before every call; a blocking read there would hang the run.
    const next = await box.exec('echo next; touch .git 2>&1 | grep -c Read-only', limits);
    expect(next.output).toBe('next\n1\n');
  });

  it('close() kills a running command and its tree, and refuses new commands', async () => {
    const sleep = uniqueSleep();
    const box = await open({ root: tempDir() });
    const running = box.exec(`${sleep.command} & ${sleep.command}`, limits);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await box.close();
    expect(await running).toMatchObject({ aborted: true, exitCode: null });
    expect(await survivors(sleep.pattern)).toEqual([]);
    await expect(box.exec('true', limits)).rejects.toThrow(/closed/);
  });
});
