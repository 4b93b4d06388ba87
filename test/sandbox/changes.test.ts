// Which files a run changed: in git, content compared with the start (ignored files left out, a
// file dirty before the run counted only if the run changed it again); outside git, a tree walk.
import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trackChanges } from '../../sandbox/changes.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';

describe('trackChanges', () => {
  it('never opens a FIFO the run put in place of a tracked file (it would block), and sees a new symlink by its target', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const tracker = await trackChanges(repo);
    rmSync(join(repo, 'a.txt'));
    execFileSync('mkfifo', [join(repo, 'a.txt')]);
    symlinkSync('/etc/hostname', join(repo, 'link'));
    expect(await tracker.changedFiles()).toEqual(['a.txt', 'link']);
  });

  it('lists edited, added and deleted files of a git repo, but not ignored ones or untouched dirty ones', async () => {
    const repo = tempRepo({ '.gitignore': 'build/\n', 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n', 'sub/d.txt': 'd\n' });
    writeFileSync(join(repo, 'c.txt'), 'dirty before the run\n');
    const tracker = await trackChanges(repo);
    writeFiles(repo, { 'a.txt': 'changed\n', 'new/e.txt': 'e\n', 'build/out.js': 'x\n', 'sub/d.txt': 'd2\n' });
    rmSync(join(repo, 'b.txt'));
    expect(await tracker.changedFiles()).toEqual(['a.txt', 'b.txt', 'new/e.txt', 'sub/d.txt']);
  });

  it('reports paths relative to a working directory below the repository top', async () => {
    const repo = tempRepo({ 'pkg/a.txt': 'a\n', 'other.txt': 'o\n' });
    const tracker = await trackChanges(join(repo, 'pkg'));
    writeFiles(repo, { 'pkg/a.txt': 'changed\n', 'pkg/n.txt': 'n\n' });
    expect(await tracker.changedFiles()).toEqual(['a.txt', 'n.txt']);
  });

  it('counts a file committed by the run against the starting commit', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const tracker = await trackChanges(repo);
    writeFiles(repo, { 'a.txt': 'committed change\n' });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qam', 'x'], { cwd: repo });
    expect(await tracker.changedFiles()).toEqual(['a.txt']);
  });

  it('walks a directory that is not a git repository', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'keep.txt': 'k\n', 'edit.txt': 'e\n' });
    const tracker = await trackChanges(dir);
    await new Promise((r) => setTimeout(r, 20)); // a different mtime even on coarse clocks
    writeFiles(dir, { 'edit.txt': 'edited, longer\n', 'added.txt': 'a\n' });
    expect(await tracker.changedFiles()).toEqual(['added.txt', 'edit.txt']);
  });
});
