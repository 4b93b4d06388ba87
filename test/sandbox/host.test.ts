// The host backend end to end: root, confined file access, and commands in a scrubbed environment.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHostSandbox } from '../../sandbox/host.js';
import { InvalidPathError } from '../../sandbox/paths.js';
import { PathOutsideError, type Sandbox } from '../../sandbox/types.js';
import { survivors, uniqueSleep } from './process-helpers.js';

let base: string;
let root: string;
let outside: string;
let sandbox: Sandbox | undefined;

const limits = { timeoutMs: 5000, maxOutputBytes: 64 * 1024 };

beforeEach(async () => {
  base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'sprout-host-')));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  await fs.mkdir(root);
  await fs.mkdir(outside);
});

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  await fs.rm(base, { recursive: true, force: true });
});

async function open(options: Partial<Parameters<typeof createHostSandbox>[0]> = {}): Promise<Sandbox> {
  sandbox = await createHostSandbox({ root, hostEnv: { PATH: process.env.PATH, HOME: '/home/real' }, ...options });
  return sandbox;
}

describe('createHostSandbox', () => {
  it('is a host sandbox whose root is the real path of the directory given', async () => {
    await fs.symlink(root, path.join(base, 'via-link'));
    const box = await open({ root: path.join(base, 'via-link') });
    expect(box.kind).toBe('host');
    expect(box.root).toBe(root);
  });

  it('refuses a root that does not exist or is a file', async () => {
    await fs.writeFile(path.join(base, 'file'), '');
    await expect(createHostSandbox({ root: path.join(base, 'missing') })).rejects.toThrow(/ENOENT.*existing directory/);
    await expect(createHostSandbox({ root: path.join(base, 'file') })).rejects.toThrow(/not a directory/);
  });
});

describe('host sandbox files', () => {
  it('writes a file into new parent directories and reads it back', async () => {
    const box = await open();
    await box.writeFile('a/b/c.txt', 'hello');
    expect((await box.readFile('a/b/c.txt')).toString()).toBe('hello');
    expect(await fs.readFile(path.join(root, 'a/b/c.txt'), 'utf8')).toBe('hello');
    expect(await box.exists('a/b/c.txt')).toBe(true);
    expect(await box.exists('a/b/nope.txt')).toBe(false);
  });

  it('refuses to read, write or test paths outside the root', async () => {
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    const box = await open();
    await expect(box.readFile('../outside/secret.txt')).rejects.toBeInstanceOf(PathOutsideError);
    await expect(box.writeFile('/etc/sprout-test', 'x')).rejects.toBeInstanceOf(PathOutsideError);
    await expect(box.exists(path.join(outside, 'secret.txt'))).rejects.toBeInstanceOf(PathOutsideError);
  });

  it('does not write through a dangling symlink that points outside', async () => {
    await fs.symlink(path.join(outside, 'planted.txt'), path.join(root, 'trap'));
    const box = await open();
    await expect(box.writeFile('trap', 'x')).rejects.toBeInstanceOf(PathOutsideError);
    await expect(fs.access(path.join(outside, 'planted.txt'))).rejects.toThrow();
  });
});

describe('host sandbox exec', () => {
  it('runs bash in the root by default and in a confined cwd when given', async () => {
    const box = await open();
    await fs.mkdir(path.join(root, 'sub'));
    expect((await box.exec('pwd', limits)).output).toBe(`${root}\n`);
    expect((await box.exec('pwd; [[ -n $BASH_VERSION ]] && echo bash', { ...limits, cwd: 'sub' })).output).toBe(`${path.join(root, 'sub')}\nbash\n`);
  });

  it('refuses a cwd outside the root or one that is not a directory', async () => {
    const box = await open();
    await box.writeFile('file.txt', '');
    await expect(box.exec('pwd', { ...limits, cwd: '..' })).rejects.toBeInstanceOf(PathOutsideError);
    await expect(box.exec('pwd', { ...limits, cwd: 'file.txt' })).rejects.toBeInstanceOf(InvalidPathError);
    await expect(box.exec('pwd', { ...limits, cwd: 'missing' })).rejects.toThrow(/not a directory/);
  });

  it('runs commands without the host secrets, with allowed names and the real HOME by default', async () => {
    const box = await open({
      hostEnv: { PATH: process.env.PATH, HOME: '/home/real', SPROUT_API_KEY: 'leak', ARK_API_KEY: 'leak', MY_FLAG: 'on' },
      envAllow: ['MY_FLAG'],
    });
    const result = await box.exec('echo "${SPROUT_API_KEY-none} ${ARK_API_KEY-none} $MY_FLAG $HOME $GIT_TERMINAL_PROMPT"', limits);
    expect(result.output).toBe('none none on /home/real 0\n');
  });

  it('uses the home it was given', async () => {
    const box = await open({ home: root });
    expect((await box.exec('echo $HOME', limits)).output).toBe(`${root}\n`);
  });

  it('close() kills a running command and reports it aborted', async () => {
    const sleep = uniqueSleep();
    const box = await open();
    const running = box.exec(sleep.command, limits);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await box.close();
    expect(await running).toMatchObject({ aborted: true, exitCode: null });
    expect(await survivors(sleep.pattern)).toEqual([]);
    await expect(box.exec('true', limits)).rejects.toThrow(/closed/);
  });

  it('stops a command when the caller aborts', async () => {
    const sleep = uniqueSleep();
    const box = await open();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await box.exec(sleep.command, { ...limits, signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(await survivors(sleep.pattern)).toEqual([]);
  });
});
