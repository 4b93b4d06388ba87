// The git tool on real temporary repositories, through the real runner: what each command shows and
// does, that commits run no hook, and what it refuses (network, force, outside paths, unsafe repos).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git as gitTool } from '../../tools/git.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

/** Run git in `dir` for setting up and checking, outside the tool. */
function sh(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, stdio: 'pipe' }).toString();
}

async function harness(dir: string) {
  const h = await toolHarness(dir, { tools: [gitTool] });
  return { ...h, git: (args: object) => h.call('git', args) };
}

describe('git read commands', () => {
  it('status lists changes and diff shows unstaged, staged and ref-relative changes', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n', 'b.txt': 'bee\n' });
    writeFiles(dir, { 'a.txt': 'one\ntwo\n', 'b.txt': 'BEE\n', 'new.txt': 'n\n' });
    sh(dir, 'add', 'b.txt');
    const { git } = await harness(dir);
    expect((await git({ command: 'status' })).output).toBe('## main\n M a.txt\nM  b.txt\n?? new.txt');
    const unstaged = await git({ command: 'diff' });
    expect(unstaged.output).toContain('+two');
    expect(unstaged.output).not.toContain('BEE');
    const staged = await git({ command: 'diff', staged: true });
    expect(staged.output).toContain('+BEE');
    expect(staged.output).not.toContain('+two');
    expect((await git({ command: 'diff', ref: 'HEAD', paths: ['b.txt'] })).output).toContain('-bee\n+BEE');
    sh(dir, 'add', '-A');
    sh(dir, 'commit', '-q', '-m', 'second');
    expect((await git({ command: 'status' })).output).toBe('## main\nnothing to commit, working tree clean');
    expect((await git({ command: 'diff' })).output).toMatch(/^no unstaged changes/);
  });

  it('log prints one line per commit with short hash, date, author and subject, limited by max_count and paths', async () => {
    const dir = tempRepo({ 'a.txt': '1\n', 'b.txt': '1\n' });
    writeFiles(dir, { 'b.txt': '2\n' });
    sh(dir, 'commit', '-q', '-am', 'change b');
    const { git } = await harness(dir);
    const lines = (await git({ command: 'log' })).output.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^[0-9a-f]{7,} \d{4}-\d\d-\d\d test: change b$/);
    expect(lines[1]).toMatch(/ test: initial$/);
    expect((await git({ command: 'log', max_count: 1 })).output).toMatch(/change b\n\(the latest 1 commits; raise max_count for more\)$/);
    expect((await git({ command: 'log', paths: ['a.txt'] })).output).toMatch(/^\S+ \S+ test: initial$/);
  });

  it('show gives the header, stat and patch of a commit, and blame names each line\'s commit', async () => {
    const dir = tempRepo({ 'a.txt': 'one\ntwo\nthree\n' });
    writeFiles(dir, { 'a.txt': 'one\nTWO\nthree\n' });
    sh(dir, 'commit', '-q', '-am', 'shout two');
    const { git } = await harness(dir);
    const shown = (await git({ command: 'show' })).output;
    expect(shown).toMatch(/^commit [0-9a-f]{40}\nAuthor: test <test@example.com>/);
    expect(shown).toContain(' a.txt | 2 +-');
    expect(shown).toContain('-two\n+TWO');
    expect((await git({ command: 'show', ref: 'HEAD~1' })).output).toContain('initial');
    const blame = (await git({ command: 'blame', path: 'a.txt', start_line: 2, end_line: 3 })).output.split('\n');
    expect(blame).toHaveLength(2);
    expect(blame[0]).toMatch(/^[0-9a-f]+ \(test \d{4}-\d\d-\d\d 2\) TWO$/);
    expect(blame[1]).toMatch(/\(test \d{4}-\d\d-\d\d 3\) three$/);
  });

  it('cuts a long diff at a line, keeps the stat of every file and says how to see the rest', async () => {
    const dir = tempRepo({ 'big.txt': 'x\n', 'small.txt': 's\n' });
    writeFiles(dir, { 'big.txt': Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n'), 'small.txt': 'S\n' });
    const { git } = await harness(dir);
    const result = await git({ command: 'diff' });
    expect(result.output).toMatch(/^ big.txt +\| 3001 \+\+/);
    expect(result.output).toMatch(/\n small.txt \| +2 \+-\n/);
    expect(result.output).toMatch(/\[\.\.\. cut: showed \d+ of \d+ lines; pass `paths` to see the rest one file at a time\]$/);
    expect(result.output.length).toBeLessThan(14_000);
  });
});

describe('git write commands', () => {
  it('add and commit create a commit by the configured author and run no hook, from .git/hooks or core.hooksPath', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    const markers = tempDir();
    const hook = `#!/bin/sh\ntouch ${markers}/$(basename "$0")\nexit 1\n`;
    const hooksPath = tempDir();
    for (const hooks of [join(dir, '.git/hooks'), hooksPath]) {
      for (const name of ['pre-commit', 'commit-msg', 'post-commit']) {
        writeFileSync(join(hooks, name), hook);
        chmodSync(join(hooks, name), 0o755);
      }
    }
    sh(dir, 'config', 'core.hooksPath', hooksPath);
    writeFiles(dir, { 'a.txt': 'two\n' });
    const { git, ctx } = await harness(dir);
    ctx.gitAuthor = { name: 'Robo Tester', email: 'robo@example.com' };
    expect((await git({ command: 'add', paths: ['a.txt'] })).output).toBe('Staged a.txt.\n## main\nM  a.txt');
    const result = await git({ command: 'commit', message: 'Change a' });
    expect(result.ok).toBe(true);
    expect(result.output).toMatch(/^\[main [0-9a-f]+\] Change a\n 1 file changed/);
    expect(result.details?.commit).toBe(sh(dir, 'rev-parse', 'HEAD').trim());
    expect(sh(dir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%s')).toBe('Robo Tester <robo@example.com>|Robo Tester <robo@example.com>|Change a\n');
    expect(existsSync(join(markers, 'pre-commit')) || existsSync(join(markers, 'post-commit')) || existsSync(join(markers, 'commit-msg'))).toBe(false);
  });

  it('commits as sprout by default and refuses a commit with nothing staged', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    const { git } = await harness(dir);
    const empty = await git({ command: 'commit', message: 'nothing' });
    expect(empty.ok).toBe(false);
    expect(empty.output).toBe('Error: nothing to commit: no changes are staged, so no commit was made. Stage files with `add` first.\n## main\nnothing to commit, working tree clean');
    expect(sh(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    writeFiles(dir, { 'b.txt': 'b\n' });
    await git({ command: 'add', paths: ['b.txt'] });
    expect((await git({ command: 'commit', message: 'Add b' })).ok).toBe(true);
    expect(sh(dir, 'log', '-1', '--format=%an <%ae>')).toBe('sprout <sprout@users.noreply.github.com>\n');
  });

  it('switch with create makes a branch that branch lists as current; branch creates one without switching', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    const { git } = await harness(dir);
    expect((await git({ command: 'switch', name: 'feature', create: true })).output).toBe('Switched to a new branch feature.\n## feature\nnothing to commit, working tree clean');
    expect((await git({ command: 'branch', name: 'later', ref: 'main' })).output).toMatch(/^Created branch later at [0-9a-f]+ initial/);
    const branches = (await git({ command: 'branch' })).output.split('\n');
    expect(branches).toEqual([expect.stringMatching(/^\* feature [0-9a-f]+ initial$/), expect.stringMatching(/^ {2}later /), expect.stringMatching(/^ {2}main /)]);
    expect((await git({ command: 'switch', name: 'main' })).ok).toBe(true);
    expect(sh(dir, 'branch', '--show-current').trim()).toBe('main');
  });

  it('switch refuses to overwrite local changes and says to commit or stash them', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    sh(dir, 'switch', '-q', '-c', 'other');
    writeFiles(dir, { 'a.txt': 'other\n' });
    sh(dir, 'commit', '-q', '-am', 'other a');
    sh(dir, 'switch', '-q', 'main');
    writeFiles(dir, { 'a.txt': 'local edit\n' });
    const { git } = await harness(dir);
    const result = await git({ command: 'switch', name: 'other' });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('would be overwritten');
    expect(result.output).toContain('Hint: commit or stash those changes first');
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('local edit\n');
  });

  it('checkout restores a path from the index or from a ref without switching branches', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n', 'b.txt': 'bee\n' });
    writeFiles(dir, { 'b.txt': 'second\n' });
    sh(dir, 'commit', '-q', '-am', 'second');
    writeFiles(dir, { 'a.txt': 'broken\n', 'b.txt': 'broken\n' });
    const { git } = await harness(dir);
    expect((await git({ command: 'checkout', paths: ['a.txt'] })).output).toBe('Restored a.txt from the index (unstaged changes to them were discarded).');
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('one\n');
    expect((await git({ command: 'checkout', paths: ['b.txt'], ref: 'HEAD~1' })).ok).toBe(true);
    expect(readFileSync(join(dir, 'b.txt'), 'utf8')).toBe('bee\n');
    expect(sh(dir, 'branch', '--show-current').trim()).toBe('main');
  });

  it('restore with staged unstages a file and keeps its content; without staged it discards the change', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    writeFiles(dir, { 'a.txt': 'two\n' });
    sh(dir, 'add', 'a.txt');
    const { git } = await harness(dir);
    expect((await git({ command: 'restore', paths: ['a.txt'], staged: true })).output).toBe('Unstaged a.txt; the files themselves are unchanged.');
    expect(sh(dir, 'status', '--short')).toBe(' M a.txt\n');
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('two\n');
    expect((await git({ command: 'restore', paths: ['a.txt'] })).ok).toBe(true);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('one\n');
  });

  it('stash push, list and pop put a change away and bring it back', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    writeFiles(dir, { 'a.txt': 'wip\n' });
    const { git } = await harness(dir);
    expect((await git({ command: 'stash', message: 'half done' })).output).toContain('half done');
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('one\n');
    expect((await git({ command: 'stash', action: 'list' })).output).toBe('stash@{0}: On main: half done');
    expect((await git({ command: 'stash', action: 'pop', ref: '0' })).ok).toBe(true);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('wip\n');
    expect((await git({ command: 'stash', action: 'list' })).output).toBe('no stashes');
  });
});

describe('git refusals', () => {
  it('refuses push, pull, reset --hard, clean and rebase as commands, each with what to do instead', async () => {
    const { git } = await harness(tempRepo({ 'a.txt': 'one\n' }));
    const refusal = async (command: string) => (await git({ command })).output;
    expect(await refusal('push')).toContain('- command: push is refused: sprout never talks to remotes');
    expect(await refusal('pull')).toContain('pull is refused: sprout never talks to remotes');
    expect(await refusal('reset --hard')).toContain('reset is refused (there is no reset --hard here): to unstage files use `restore`');
    expect(await refusal('clean')).toContain('clean is refused');
    expect(await refusal('rebase')).toContain('rebase is refused: history is never rewritten');
    expect(await refusal('push --force')).toContain('force operations are refused');
  });

  it('refuses force, amend and free-form argument fields, and a stash drop', async () => {
    const { git } = await harness(tempRepo({ 'a.txt': 'one\n' }));
    expect((await git({ command: 'switch', name: 'main', force: true })).output).toContain('unexpected field "force": force operations are refused');
    expect((await git({ command: 'commit', message: 'm', amend: true })).output).toContain('unexpected field "amend": amend is refused');
    expect((await git({ command: 'status', args: ['push', 'origin'] })).output).toContain('unexpected field "args": the git tool takes no free-form arguments');
    expect((await git({ command: 'stash', action: 'drop' })).output).toContain('stash "drop" is refused or unknown');
  });

  it('refuses a path outside the working directory and a ref or name that starts with "-"', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    const { git } = await harness(dir);
    expect((await git({ command: 'add', paths: ['../elsewhere.txt'] })).output).toMatch(/^Error: path "\.\.\/elsewhere\.txt" is outside the working directory/);
    expect((await git({ command: 'checkout', paths: ['/etc/passwd'] })).output).toMatch(/^Error: path "\/etc\/passwd" is outside the working directory/);
    expect((await git({ command: 'diff', ref: '--output=/tmp/x' })).output).toContain('- ref: "--output=/tmp/x" starts with "-" and would be read as an option');
    expect((await git({ command: 'branch', name: '-D' })).output).toContain('- name: "-D" starts with "-"');
    expect((await git({ command: 'add', paths: ['-A'] })).output).toContain('write ./-name for a file whose name starts with "-"');
  });

  it('names the missing or unexpected field for each command', async () => {
    const { git } = await harness(tempRepo({ 'a.txt': 'one\n' }));
    expect((await git({ command: 'add' })).output).toContain('- paths: add needs `paths` (the files to stage)');
    expect((await git({ command: 'commit' })).output).toContain('- message: commit needs `message` (the commit message)');
    expect((await git({ command: 'status', message: 'x' })).output).toContain('- message: status does not take `message`; it takes: paths');
    expect((await git({ command: 'switch', name: 'x', ref: 'main' })).output).toContain('- ref: switch uses `ref` only with `create: true`');
    expect((await git({ command: 'stash', action: 'list', message: 'x' })).output).toContain('- message: stash list does not take `message`');
  });

  it('says the working directory is not a git repository for every command', async () => {
    const { git } = await harness(tempDir());
    for (const command of ['status', 'log', 'branch']) {
      expect((await git({ command })).output).toBe(
        "Error: the working directory was not in a git repository when the run started, so the git tool has none to work on (a .git made during the run is the model's, and sprout runs no host-side git in it); use git in the shell tool instead",
      );
    }
  });

  it('from a subdirectory takes paths relative to it and refuses paths above it', async () => {
    const dir = tempRepo({ 'sub/a.txt': 'one\n', 'top.txt': 'top\n' });
    writeFiles(dir, { 'sub/a.txt': 'two\n', 'top.txt': 'changed\n' });
    const { git } = await harness(join(dir, 'sub'));
    expect((await git({ command: 'add', paths: ['a.txt'] })).ok).toBe(true);
    expect(sh(dir, 'diff', '--cached', '--name-only')).toBe('sub/a.txt\n');
    expect((await git({ command: 'add', paths: ['../top.txt'] })).output).toContain('is outside the working directory');
    expect((await git({ command: 'restore', paths: ['a.txt'], staged: true })).ok).toBe(true);
    expect((await git({ command: 'checkout', paths: ['a.txt'] })).ok).toBe(true);
    expect(readFileSync(join(dir, 'sub/a.txt'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(dir, 'top.txt'), 'utf8')).toBe('changed\n');
  });

  it('from a subdirectory stashes only what lies under it and leaves the rest of the work tree alone', async () => {
    const dir = tempRepo({ 'sub/a.txt': 'one\n', 'top.txt': 'top\n' });
    writeFiles(dir, { 'sub/a.txt': 'two\n', 'top.txt': 'changed\n' });
    const { git } = await harness(join(dir, 'sub'));
    expect((await git({ command: 'stash' })).ok).toBe(true);
    expect(readFileSync(join(dir, 'sub/a.txt'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(dir, 'top.txt'), 'utf8')).toBe('changed\n');
    expect((await git({ command: 'stash', action: 'pop' })).ok).toBe(true);
    expect(readFileSync(join(dir, 'sub/a.txt'), 'utf8')).toBe('two\n');
  });

  it('runs no filter or textconv program the repository config names, and says it ignored them', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    const marker = join(tempDir(), 'ran');
    sh(dir, 'config', 'filter.evil.clean', `touch ${marker}; cat`);
    sh(dir, 'config', 'diff.evil.textconv', `touch ${marker}; cat`);
    writeFiles(dir, { '.gitattributes': '* filter=evil diff=evil\n', 'a.txt': 'two\n' });
    const { git } = await harness(dir);
    const note = '(host-side git ignored the repository config\'s filter "evil", diff "evil": sprout never runs a program a repository names)';
    const added = await git({ command: 'add', paths: ['a.txt'] });
    expect(added.output).toBe(`Staged a.txt.\n## main\nM  a.txt\n?? .gitattributes\n${note}`);
    expect((await git({ command: 'diff', staged: true })).output).toContain('-one\n+two');
    expect((await git({ command: 'commit', message: 'two' })).ok).toBe(true);
    expect((await git({ command: 'log' })).output).toContain('two');
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a repository whose config includes a file, even through /proc/self/cwd', async () => {
    const dir = tempRepo({ 'a.txt': 'one\n' });
    sh(dir, 'config', 'include.path', '/proc/self/cwd/evil.cfg');
    const { git } = await harness(dir);
    expect((await git({ command: 'status' })).output).toBe(
      'Error: refused: the repository config includes another file (include.path=/proc/self/cwd/evil.cfg: /proc/self/cwd/evil.cfg is reached through /proc or /dev); ' +
        'host-side git never reads config the model could change. Use the shell tool for git in this repository',
    );
  });

  it('refuses a .git file that points at another repository', async () => {
    const other = tempRepo({ 'x.txt': 'x\n' });
    const dir = tempDir();
    writeFileSync(join(dir, '.git'), `gitdir: ${join(other, '.git')}\n`);
    const { git } = await harness(dir);
    expect((await git({ command: 'status' })).output).toContain(`points to ${join(other, '.git')}, which is not a worktree of this directory`);
  });

  it('accepts a linked worktree', async () => {
    const main = tempRepo({ 'a.txt': 'one\n' });
    const linked = join(tempDir(), 'linked');
    sh(main, 'worktree', 'add', '-q', linked);
    const { git } = await harness(linked);
    expect((await git({ command: 'status' })).output).toBe('## linked\nnothing to commit, working tree clean');
  });
});
