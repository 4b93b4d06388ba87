// Per-step file changes: kinds and line counts in git and outside it, moves, binary files, and
// symlinks reported as links (their target is never read).
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trackFileChanges } from '../../sandbox/file-changes.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';

describe('trackFileChanges', () => {
  it('reports each step against the one before, with git numstat-like line counts', async () => {
    const repo = tempRepo({ 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'b\n' });
    const tracker = await trackFileChanges(repo);
    writeFiles(repo, { 'a.txt': 'one\n2\nthree\nfour\n' });
    expect(await tracker.step()).toEqual([{ path: 'a.txt', kind: 'modified', added: 2, removed: 1 }]);
    writeFiles(repo, { 'a.txt': 'one\n2\nthree\nfour\nfive\n' });
    expect(await tracker.step()).toEqual([{ path: 'a.txt', kind: 'modified', added: 1, removed: 0 }]);
    rmSync(join(repo, 'b.txt'));
    expect(await tracker.step()).toEqual([{ path: 'b.txt', kind: 'deleted', added: 0, removed: 1 }]);
    expect(await tracker.step()).toEqual([]);
  });

  it('sees a file put back to its committed content as modified, and a rename as a move', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n', 'old.txt': 'same\nbytes\n' });
    const tracker = await trackFileChanges(repo);
    writeFiles(repo, { 'a.txt': 'changed\n' });
    await tracker.step();
    writeFiles(repo, { 'a.txt': 'a\n' });
    mkdirSync(join(repo, 'dir'));
    writeFileSync(join(repo, 'dir/new.txt'), 'same\nbytes\n');
    rmSync(join(repo, 'old.txt'));
    expect(await tracker.step()).toEqual([
      { path: 'a.txt', kind: 'modified', added: 1, removed: 1 },
      { path: 'dir/new.txt', kind: 'moved', from: 'old.txt', added: 0, removed: 0 },
    ]);
  });

  it('gives no line counts for binary files, and reports a symlink by its target text', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const secret = join(tempDir('sprout-outside-'), 'secret.txt');
    writeFileSync(secret, 'l1\nl2\nl3\n');
    const tracker = await trackFileChanges(repo);
    writeFileSync(join(repo, 'blob.bin'), Buffer.from([0, 1, 2, 0]));
    symlinkSync(secret, join(repo, 'link'));
    expect(await tracker.step()).toEqual([
      { path: 'blob.bin', kind: 'added', added: null, removed: null },
      { path: 'link', kind: 'added', added: 1, removed: 0 },
    ]);
  });

  it('outside git, counts new files and later changes, but not the first change of an old file', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'old.txt': 'x\n' });
    const tracker = await trackFileChanges(dir);
    writeFiles(dir, { 'old.txt': 'x\ny\n', 'new.txt': 'n\n' });
    expect(await tracker.step()).toEqual([
      { path: 'new.txt', kind: 'added', added: 1, removed: 0 },
      { path: 'old.txt', kind: 'modified', added: null, removed: null },
    ]);
    writeFiles(dir, { 'old.txt': 'x\ny\nz\n' });
    // The walk fingerprints by size and mtime, so the size change is seen even within the same millisecond.
    expect(await tracker.step()).toEqual([{ path: 'old.txt', kind: 'modified', added: 1, removed: 0 }]);
  });
});
