// Path confinement against real directories and symlinks.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidPathError, resolveInside } from '../../sandbox/paths.js';
import { PathOutsideError } from '../../sandbox/types.js';

let base: string;
let root: string;
let outside: string;

beforeEach(async () => {
  base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'sprout-paths-')));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  await fs.mkdir(path.join(root, 'src'), { recursive: true });
  await fs.mkdir(outside);
  await fs.writeFile(path.join(root, 'src', 'a.ts'), 'a');
  await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
});

afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('resolveInside', () => {
  it('accepts the root itself, as "." and as its absolute path', async () => {
    expect(await resolveInside(root, '.')).toBe(root);
    expect(await resolveInside(root, root)).toBe(root);
    expect(await resolveInside(root, `${root}/`)).toBe(root);
  });

  it('resolves a relative path and an absolute path inside the root', async () => {
    expect(await resolveInside(root, 'src/a.ts')).toBe(path.join(root, 'src/a.ts'));
    expect(await resolveInside(root, path.join(root, 'src/a.ts'))).toBe(path.join(root, 'src/a.ts'));
    expect(await resolveInside(root, 'src/../src/./a.ts')).toBe(path.join(root, 'src/a.ts'));
  });

  it('accepts a new file in a new directory inside the root', async () => {
    expect(await resolveInside(root, 'new/dir/file.txt')).toBe(path.join(root, 'new/dir/file.txt'));
  });

  it('rejects an absolute path outside the root', async () => {
    await expect(resolveInside(root, '/etc/passwd')).rejects.toBeInstanceOf(PathOutsideError);
  });

  it('rejects .. that climbs out of the root', async () => {
    await expect(resolveInside(root, '../outside/secret.txt')).rejects.toBeInstanceOf(PathOutsideError);
    await expect(resolveInside(root, 'src/../../x')).rejects.toBeInstanceOf(PathOutsideError);
  });

  it('rejects a symlink inside the root that points to a file outside', async () => {
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'link'));
    await expect(resolveInside(root, 'link')).rejects.toBeInstanceOf(PathOutsideError);
  });

  it('rejects a child path under a symlink to a directory outside, existing or new', async () => {
    await fs.symlink(outside, path.join(root, 'out'));
    await expect(resolveInside(root, 'out/secret.txt')).rejects.toBeInstanceOf(PathOutsideError);
    await expect(resolveInside(root, 'out/new/file.txt')).rejects.toBeInstanceOf(PathOutsideError);
  });

  it('resolves .. after a symlink physically, not lexically', async () => {
    // out -> base/outside, so out/../root-sibling is base/..., not root/...
    await fs.symlink(outside, path.join(root, 'out'));
    await expect(resolveInside(root, 'out/../outside/secret.txt')).rejects.toBeInstanceOf(PathOutsideError);
  });

  it('rejects a dangling symlink whose target would be created outside', async () => {
    await fs.symlink(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling'));
    await fs.symlink('../outside/new-dir', path.join(root, 'dangling-rel'));
    await expect(resolveInside(root, 'dangling')).rejects.toBeInstanceOf(PathOutsideError);
    await expect(resolveInside(root, 'dangling-rel/file.txt')).rejects.toBeInstanceOf(PathOutsideError);
  });

  it('follows a symlink that stays inside the root to its real path', async () => {
    await fs.symlink('src', path.join(root, 'alias'));
    await fs.symlink('src/missing.ts', path.join(root, 'dangling-inside'));
    expect(await resolveInside(root, 'alias/a.ts')).toBe(path.join(root, 'src/a.ts'));
    expect(await resolveInside(root, 'dangling-inside')).toBe(path.join(root, 'src/missing.ts'));
  });

  it('refuses empty paths, NUL bytes, .. below a missing directory and symlink loops', async () => {
    await fs.symlink('loop', path.join(root, 'loop'));
    await expect(resolveInside(root, '')).rejects.toThrow(/empty/);
    await expect(resolveInside(root, 'a\0b')).rejects.toThrow(/NUL/);
    await expect(resolveInside(root, 'missing/../src/a.ts')).rejects.toBeInstanceOf(InvalidPathError);
    await expect(resolveInside(root, 'loop/x')).rejects.toThrow(/symbolic links/);
  });
});
