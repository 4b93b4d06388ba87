// No file tool reaches outside the working directory: absolute paths, `..` and symlinks are refused
// and nothing outside changes.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

function setup() {
  const outside = tempDir('sprout-outside-');
  writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET\n');
  const root = tempDir('sprout-root-');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link-to-secret'));
  symlinkSync(outside, join(root, 'link-to-dir'));
  mkdirSync(join(root, 'sub'));
  return { outside, root };
}

const escapes = (outside: string) => ({
  absolute: join(outside, 'secret.txt'),
  'dot-dot': `../${outside.split('/').at(-1)}/secret.txt`,
  'symlink to a file': 'link-to-secret',
  'symlink to a folder': 'link-to-dir/secret.txt',
  'dot-dot from a subfolder': `sub/../../${outside.split('/').at(-1)}/secret.txt`,
});

describe('file tools refuse paths outside the working directory', () => {
  for (const kind of ['absolute', 'dot-dot', 'symlink to a file', 'symlink to a folder', 'dot-dot from a subfolder'] as const) {
    it(`read_file, write_file and edit_file refuse a ${kind} path`, async () => {
      const { outside, root } = setup();
      const path = escapes(outside)[kind];
      const { call } = await toolHarness(root);
      const results = [
        await call('read_file', { path }),
        await call('write_file', { path, content: 'pwned\n' }),
        await call('edit_file', { path, old_string: 'TOP SECRET', new_string: 'pwned' }),
      ];
      for (const result of results) {
        expect(result.ok).toBe(false);
        expect(result.output).toMatch(/outside the working directory/);
        expect(result.output).not.toContain('TOP SECRET');
      }
      expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
    });
  }

  it('write_file refuses to create a new file through a symlinked folder', async () => {
    const { outside, root } = setup();
    const { call } = await toolHarness(root);
    const result = await call('write_file', { path: 'link-to-dir/new.txt', content: 'x' });
    expect(result.ok).toBe(false);
    expect(existsSync(join(outside, 'new.txt'))).toBe(false);
  });

  it('paths inside, through an inside symlink, are allowed', async () => {
    const { root } = setup();
    writeFileSync(join(root, 'real.txt'), 'inside\n');
    symlinkSync(join(root, 'real.txt'), join(root, 'inner-link'));
    const { call } = await toolHarness(root);
    expect((await call('read_file', { path: 'inner-link' })).output).toBe('1\tinside');
    expect((await call('read_file', { path: join(root, 'real.txt') })).output).toBe('1\tinside');
  });
});
