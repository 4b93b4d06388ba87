// The host-side git door on real repositories whose config a hostile repository or model planted:
// every command sprout's callers run (add, diff, status, log, show, blame, commit, switch, stash,
// checkout, worktree add) runs, and no program the config names ever does — a marker file outside
// the working directory never appears. What the door refuses, it says.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitRefusedError, initRepository, openGitDoor, type GitDoor } from '../../sandbox/git.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';

/** Plain git for setting up, outside the door. */
const sh = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });

/** A command line that leaves `marker` behind when some program runs it, then behaves like `cat`. */
const plant = (marker: string) => `touch ${marker}; cat`;

/** Every command the door's callers run, in an order that exercises add, diff, merge and checkout paths. */
async function exercise(door: GitDoor): Promise<void> {
  const id = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
  await door.run(['status', '--short']);
  await door.run(['diff']);
  await door.run(['add', '-A', '--', '.']);
  await door.run(['diff', '--cached', '--binary', 'HEAD']);
  await door.run(['commit', '-q', '-m', 'one'], { env: id });
  await door.run(['commit', '--allow-empty'], { env: id }).catch(() => undefined); // no editor runs: an empty message aborts
  await door.run(['log', '-p', '-1']);
  await door.run(['show', 'HEAD']);
  await door.run(['blame', 'a.txt']);
  writeFileSync(join(door.root, 'a.txt'), '1\nstash\n3\n');
  await door.run(['stash', 'push', '-q']);
  writeFileSync(join(door.root, 'a.txt'), '1\nhead\n3\n');
  await door.run(['commit', '-q', '-am', 'two'], { env: id });
  await door.run(['stash', 'pop']).catch(() => undefined); // a conflict: a merge driver would be asked
  await door.run(['checkout', '--', 'a.txt']).catch(() => undefined);
  await door.run(['switch', '-q', '-c', 'other']).catch(() => undefined);
  await door.run(['worktree', 'add', '-q', join(tempDir(), 'wt'), 'HEAD']);
}

/** The same commands with plain git: the control that shows a plant is live. Failures are expected. */
function exercisePlain(dir: string): void {
  const run = (...args: string[]) => {
    try {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd: dir, stdio: 'pipe', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    } catch {
      // a planted program that fails makes git fail too; only the marker matters
    }
  };
  // `commit --allow-empty` with no message asks the editor for one.
  for (const args of [['status'], ['diff'], ['add', '-A'], ['commit', '-q', '-m', 'one'], ['commit', '--allow-empty'], ['log', '-p', '-1'], ['blame', 'a.txt']]) run(...args);
  writeFileSync(join(dir, 'a.txt'), '1\nstash\n3\n');
  run('stash', 'push', '-q');
  writeFileSync(join(dir, 'a.txt'), '1\nhead\n3\n');
  run('commit', '-q', '-am', 'two');
  run('stash', 'pop');
  run('switch', '-q', '-c', 'other');
}

interface Planted {
  name: string;
  /** Configure the repository (its own .git/config) to run `command`. */
  setup(dir: string, command: string): void;
}

const PLANTS: Planted[] = [
  { name: 'a clean, smudge and process filter chosen by .gitattributes', setup: (d, c) => {
    for (const key of ['clean', 'smudge', 'process']) sh(d, 'config', `filter.evil.${key}`, c);
    sh(d, 'config', 'filter.evil.required', 'true');
    writeFiles(d, { '.gitattributes': '* filter=evil\n' });
  } },
  { name: 'a filter whose name holds "=" and dots', setup: (d, c) => {
    sh(d, 'config', 'filter.a=b.c.clean', c);
    sh(d, 'config', 'filter.a=b.c.smudge', c);
    writeFiles(d, { '.gitattributes': '* filter=a=b.c\n' });
  } },
  { name: 'a textconv and an external diff driver', setup: (d, c) => {
    sh(d, 'config', 'diff.evil.textconv', c);
    sh(d, 'config', 'diff.evil.command', c);
    writeFiles(d, { '.gitattributes': '* diff=evil\n' });
  } },
  { name: 'diff.external', setup: (d, c) => sh(d, 'config', 'diff.external', c) },
  { name: 'a merge driver and merge.default', setup: (d, c) => {
    sh(d, 'config', 'merge.evil.driver', c);
    sh(d, 'config', 'merge.default', 'evil');
    sh(d, 'config', 'merge.text.driver', c);
  } },
  { name: 'core.fsmonitor', setup: (d, c) => sh(d, 'config', 'core.fsmonitor', c) },
  // Git starts no pager without a terminal, so the editor is what the control sees run.
  { name: 'core.pager, pager.<cmd> and core.editor', setup: (d, c) => {
    sh(d, 'config', 'core.pager', c);
    sh(d, 'config', 'pager.log', c);
    sh(d, 'config', 'core.editor', c);
  } },
  { name: 'hooks in .git/hooks and in a core.hooksPath', setup: (d, c) => {
    const hooks = join(d, 'hooks');
    mkdirSync(hooks);
    for (const dir of [join(d, '.git/hooks'), hooks]) {
      for (const hook of ['pre-commit', 'post-commit', 'post-checkout', 'commit-msg', 'reference-transaction']) {
        writeFileSync(join(dir, hook), `#!/bin/sh\n${c} </dev/null\n`);
        chmodSync(join(dir, hook), 0o755);
      }
    }
    sh(d, 'config', 'core.hooksPath', hooks);
  } },
  { name: 'signing and signature display', setup: (d, c) => {
    writeFileSync(join(d, 'gpg.sh'), `#!/bin/sh\n${c} </dev/null\n`);
    chmodSync(join(d, 'gpg.sh'), 0o755);
    sh(d, 'config', 'commit.gpgSign', 'true');
    sh(d, 'config', 'log.showSignature', 'true');
    sh(d, 'config', 'gpg.program', join(d, 'gpg.sh'));
  } },
];

describe('the host-side git door', () => {
  for (const planted of PLANTS) {
    it(`runs every command sprout uses without running ${planted.name}`, async () => {
      const dir = tempRepo({ 'a.txt': '1\n2\n3\n' });
      const marker = join(tempDir(), 'ran');
      planted.setup(dir, plant(marker));
      writeFileSync(join(dir, 'a.txt'), '1\nchanged\n3\n');
      await exercise(await openGitDoor(dir));
      expect(existsSync(marker)).toBe(false);
      // The control: the same plant in a fresh repository makes plain git run the program.
      const control = tempRepo({ 'a.txt': '1\n2\n3\n' });
      planted.setup(control, plant(marker));
      writeFileSync(join(control, 'a.txt'), '1\nchanged\n3\n');
      exercisePlain(control);
      expect(existsSync(marker)).toBe(true);
    });
  }

  it('names the drivers it switched off', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    sh(dir, 'config', 'filter.evil.clean', 'false');
    sh(dir, 'config', 'diff.harmless.xfuncname', '^func');
    const door = await openGitDoor(dir);
    await door.run(['status']);
    expect([...door.disabled]).toEqual(['filter "evil"']);
  });

  it('refuses repository config that includes another file, through any alias of the working directory', async () => {
    for (const alias of ['/proc/self/cwd/evil.cfg', (dir: string) => `/proc/self/root${dir}/evil.cfg`, (dir: string) => join(dir, 'missing-yet.cfg')]) {
      const dir = tempRepo({ 'a.txt': 'one\n' });
      const marker = join(tempDir(), 'ran');
      writeFiles(dir, { 'evil.cfg': `[filter "evil"]\n\tclean = ${plant(marker)}\n`, '.gitattributes': '* filter=evil\n', 'a.txt': 'two\n' });
      sh(dir, 'config', 'include.path', typeof alias === 'string' ? alias : alias(dir));
      const door = await openGitDoor(dir);
      await expect(door.run(['add', '-A'])).rejects.toThrow(/^refused: the repository config includes another file \(include\.path=/);
      expect(existsSync(marker)).toBe(false);
    }
  });

  it('refuses an include that reaches the working directory through a symlink or a bind-mount-like alias elsewhere', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    const links = tempDir();
    symlinkSync(dir, join(links, 'alias'));
    sh(dir, 'config', 'include.path', join(links, 'alias', 'later.cfg'));
    await expect((await openGitDoor(dir)).run(['status'])).rejects.toThrow(`lies in ${dir}, which the model can write`);
  });

  it('reads an include outside everything the model can write (as actions/checkout puts credentials), with its drivers switched off', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    const marker = join(tempDir(), 'ran');
    const outside = join(tempDir(), 'credentials.config');
    writeFileSync(outside, `[sprout "test"]\n\tseen = yes\n[filter "evil"]\n\tclean = touch ${marker}\n`);
    sh(dir, 'config', `includeIf.gitdir:${dir}/.git.path`, outside);
    sh(dir, 'config', 'includeIf.gitdir:/github/workspace/.git.path', '/github/runner_temp/missing.config');
    writeFiles(dir, { '.gitattributes': '* filter=evil\n', 'a.txt': 'two\n' });
    const door = await openGitDoor(dir);
    expect(await door.run(['config', 'sprout.test.seen'])).toBe('yes\n');
    await door.run(['add', '-A']);
    expect([...door.disabled]).toEqual(['filter "evil"']);
    expect(existsSync(marker)).toBe(false);
    // The same include is refused once the model could write it: a path in a read-write mount.
    const writable = await openGitDoor(dir, { writable: [dirname(outside)] });
    await expect(writable.run(['status'])).rejects.toThrow(`lies in ${dirname(outside)}, which the model can write`);
  });

  it('refuses an includeIf too, whatever its condition', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    sh(dir, 'config', 'includeIf.gitdir:/.path', join(dir, 'evil.cfg'));
    await expect((await openGitDoor(dir)).run(['status'])).rejects.toThrow(/includes another file \(includeif\.gitdir:\/\.path=/);
  });

  it('refuses a .git the model made at the working directory after the door opened, in a subdirectory of a repository', async () => {
    const repo = tempRepo({ 'sub/a.txt': 'one\n' });
    const sub = join(repo, 'sub');
    const door = await openGitDoor(sub);
    expect(door.repo?.top).toBe(repo);
    const marker = join(tempDir(), 'ran');
    sh(sub, 'init', '-q');
    sh(sub, 'config', 'core.fsmonitor', plant(marker));
    const error = await door.run(['status']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitRefusedError);
    expect((error as Error).message).toBe(`refused: ${join(sub, '.git')} was made during the run: it is the model's repository, and sprout runs no host-side git in it (the run started in ${repo})`);
    expect(existsSync(marker)).toBe(false);
  });

  it('ignores a .git the model made deeper down: git stays on the repository the run started in', async () => {
    const repo = tempRepo({ 'a.txt': 'one\n' });
    const door = await openGitDoor(repo);
    const marker = join(tempDir(), 'ran');
    mkdirSync(join(repo, 'deep'));
    sh(join(repo, 'deep'), 'init', '-q');
    sh(join(repo, 'deep'), 'config', 'core.fsmonitor', plant(marker));
    writeFiles(repo, { 'deep/x.txt': 'x\n' });
    expect(await door.run(['rev-parse', '--show-toplevel'])).toBe(`${repo}\n`);
    await door.run(['status', '--short']);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses every command where there was no repository when it opened, even after a git init', async () => {
    const dir = tempDir();
    const door = await openGitDoor(dir);
    expect(door.missing).toBe(true);
    sh(dir, 'init', '-q');
    await expect(door.run(['status'])).rejects.toThrow(`refused: ${dir} was not in a git repository when the run started (a .git made during the run is the model's)`);
  });

  it('keeps the work tree where it was when a core.worktree is planted', async () => {
    const repo = tempRepo({ 'a.txt': 'one\n' });
    const door = await openGitDoor(repo);
    const elsewhere = tempDir();
    sh(repo, 'config', 'core.worktree', elsewhere);
    await door.run(['switch', '-q', '-c', 'x']);
    expect(await door.run(['rev-parse', '--show-toplevel'])).toBe(`${repo}\n`);
    expect(existsSync(join(elsewhere, 'a.txt'))).toBe(false);
  });

  it('runs a filter the user allows by name as the user defines it, never as the repository does', async () => {
    const repo = tempRepo({ 'a.txt': 'one\n' });
    const userMarker = join(tempDir(), 'user-ran');
    const repoMarker = join(tempDir(), 'repo-ran');
    const userConfig = join(tempDir(), 'gitconfig');
    writeFileSync(userConfig, `[filter "lfs"]\n\tclean = ${plant(userMarker)}\n`);
    sh(repo, 'config', 'filter.lfs.clean', plant(repoMarker));
    sh(repo, 'config', 'filter.lfs.smudge', plant(repoMarker));
    writeFiles(repo, { '.gitattributes': '* filter=lfs\n', 'a.txt': 'two\n' });
    const env = { ...process.env, GIT_CONFIG_GLOBAL: userConfig };
    const door = await openGitDoor(repo, { env, allowedFilters: ['lfs'] });
    await door.run(['add', '-A']);
    await door.run(['switch', '-q', '-c', 'y']);
    expect(existsSync(userMarker)).toBe(true);
    expect(existsSync(repoMarker)).toBe(false);
    expect([...door.disabled]).toEqual([]);
    // Not allowed: not even the user's definition runs.
    const plain = await openGitDoor(repo, { env });
    writeFileSync(join(repo, 'a.txt'), 'three\n');
    await plain.run(['add', '-A']);
    expect([...plain.disabled]).toEqual(['filter "lfs"']);
  });

  it('makes a repository of its own for a batch copy, and never re-initialises one a .git file points to', async () => {
    const dir = tempDir();
    expect((await initRepository(dir)).repo?.gitDir).toBe(join(dir, '.git'));
    const other = tempRepo({ 'x.txt': 'x\n' });
    const before = readFileSync(join(other, '.git/config'), 'utf8');
    const pointing = tempDir();
    writeFileSync(join(pointing, '.git'), `gitdir: ${join(other, '.git')}\n`);
    await expect(initRepository(pointing)).rejects.toThrow(`refused: ${join(pointing, '.git')} already exists`);
    expect(readFileSync(join(other, '.git/config'), 'utf8')).toBe(before);
  });
});
