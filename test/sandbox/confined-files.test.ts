// The race-free file primitives under the file tools: a directory opened by descriptor stays the one
// that was checked even when its path is swapped for a symlink, writes keep what a file was (mode,
// inside symlinks) without writing through links, and special files are refused before opening.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confinedFiles } from '../../sandbox/confined-files.js';
import { openDirBelow } from '../../sandbox/dir-walk.js';
import { readEntry, replaceEntry } from '../../sandbox/entry-io.js';
import { createHostSandbox } from '../../sandbox/host.js';
import { tempDir } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

describe('a directory opened by descriptor', () => {
  it('still receives the write after its path is swapped for a symlink to an outside folder', async () => {
    const root = tempDir('sprout-root-');
    const outside = tempDir('sprout-outside-');
    mkdirSync(join(root, 'd'));
    const dir = await openDirBelow(root, ['d'], 'd/x.txt', false);
    try {
      // The swap lands between the check and the write, as a concurrent shell call would make it.
      renameSync(join(root, 'd'), join(root, 'd.real'));
      symlinkSync(outside, join(root, 'd'));
      await replaceEntry(dir, 'x.txt', 'd/x.txt', 'inside\n');
      expect(await readEntry(dir, 'x.txt', 'd/x.txt', 1024)).toEqual(Buffer.from('inside\n'));
    } finally {
      await dir.close();
    }
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(join(root, 'd.real', 'x.txt'), 'utf8')).toBe('inside\n');
  });

  it('is refused when a component on the way is a symlink, even one the path check did not see', async () => {
    const root = tempDir('sprout-root-');
    const outside = tempDir('sprout-outside-');
    symlinkSync(outside, join(root, 'd'));
    await expect(openDirBelow(root, ['d'], 'd/x.txt', true)).rejects.toThrow(/d\/x\.txt changed while sprout was opening it/);
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('writes', () => {
  it('keep an overwritten file’s mode and leave no temporary file behind', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'run.sh'), 'echo old\n');
    chmodSync(join(root, 'run.sh'), 0o751);
    const files = confinedFiles(root);
    await files.writeFile('run.sh', 'echo new\n');
    expect(statSync(join(root, 'run.sh')).mode & 0o7777).toBe(0o751);
    expect(readFileSync(join(root, 'run.sh'), 'utf8')).toBe('echo new\n');
    await expect(files.writeFile('.', 'x')).rejects.toMatchObject({ code: 'EISDIR' });
    mkdirSync(join(root, 'sub'));
    await expect(files.writeFile('sub', 'x')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(readdirSync(root).sort()).toEqual(['run.sh', 'sub']);
  });

  it('replace a hard link to a file outside instead of changing that file', async () => {
    const root = tempDir('sprout-root-');
    const outside = tempDir('sprout-outside-');
    writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET\n');
    linkSync(join(outside, 'secret.txt'), join(root, 'hard.txt'));
    await confinedFiles(root).writeFile('hard.txt', 'pwned\n');
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
    expect(readFileSync(join(root, 'hard.txt'), 'utf8')).toBe('pwned\n');
  });

  it('through a symlink inside the root change its target and keep the link', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), 'old\n');
    symlinkSync('src/a.ts', join(root, 'alias.ts'));
    symlinkSync('src', join(root, 'srclink'));
    const { call } = await toolHarness(root);
    expect((await call('write_file', { path: 'alias.ts', content: 'new\n' })).ok).toBe(true);
    expect((await call('write_file', { path: 'srclink/b.ts', content: 'b\n' })).ok).toBe(true);
    expect((await call('edit_file', { path: 'srclink/a.ts', old_string: 'new', new_string: 'edited' })).ok).toBe(true);
    expect(lstatSync(join(root, 'alias.ts')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, 'src', 'a.ts'), 'utf8')).toBe('edited\n');
    expect(readFileSync(join(root, 'src', 'b.ts'), 'utf8')).toBe('b\n');
    expect((await call('list_dir', { path: 'srclink' })).output).toContain('b.ts');
  });
});

describe('special files', () => {
  it('read_file and edit_file on character devices answer an error at once', async () => {
    const root = tempDir();
    // /dev is a read root here, so the device is reached through the same path as a file inside.
    const sandbox = await createHostSandbox({ root, readRoots: ['/dev'] });
    const { call } = await toolHarness(root, { sandbox });
    const started = Date.now();
    for (const path of ['/dev/zero', '/dev/urandom', '/dev/null']) {
      const read = await call('read_file', { path });
      expect(read.ok).toBe(false);
      expect(read.output).toBe(`Error: ${path} is a character device, not a regular file; file tools only read and write regular files`);
      expect((await call('edit_file', { path, old_string: 'a', new_string: 'b' })).output).toMatch(/is a character device|outside the working directory/);
    }
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(existsSync(join(root, 'zero'))).toBe(false);
  });

  it('stat and exists see a FIFO without opening it', async () => {
    const root = tempDir();
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const files = confinedFiles(root);
    expect(await files.exists('pipe')).toBe(true);
    expect(await files.stat('pipe')).toMatchObject({ type: 'other' });
    await expect(files.readFile('pipe')).rejects.toThrow('pipe is a FIFO (named pipe), not a regular file');
    await expect(files.remove('pipe')).resolves.toBeUndefined();
    expect(existsSync(join(root, 'pipe'))).toBe(false);
  });
});
