// The glob tool on real directories: newest first, what it skips, patterns relative to path, the cap
// and its note, mistakes the model makes; once more under bwrap.
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { Tool } from '../../tools/define-tool.js';
import { glob } from '../../tools/glob.js';
import { grep } from '../../tools/grep.js';
import { listDir } from '../../tools/list-dir.js';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

const tools = [grep, glob, listDir] as unknown as Tool[];

/** TypeScript files with known modification times, plus ignored and hidden ones. */
function project(): string {
  const dir = tempDir();
  writeFiles(dir, {
    '.gitignore': 'node_modules/\ndist/\n',
    'src/a.ts': 'a',
    'src/b.ts': 'b',
    'src/deep/c.ts': 'c',
    'src/g.js': 'g',
    'node_modules/x/d.ts': 'd',
    'dist/e.ts': 'e',
    '.hidden/f.ts': 'f',
  });
  const seconds: Record<string, number> = { 'src/a.ts': 1_000_000, 'src/b.ts': 3_000_000, 'src/deep/c.ts': 2_000_000 };
  for (const [path, time] of Object.entries(seconds)) utimesSync(join(dir, path), time, time);
  return dir;
}

describe('glob', () => {
  it('lists matching files newest first, leaving out ignored and hidden ones', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect(await call('glob', { pattern: '**/*.ts' })).toMatchObject({ ok: true, output: 'src/b.ts\nsrc/deep/c.ts\nsrc/a.ts' });
  });

  it('matches a pattern relative to path, and one without a slash at any depth', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect((await call('glob', { pattern: 'deep/*.ts', path: 'src' })).output).toBe('src/deep/c.ts');
    expect((await call('glob', { pattern: '*.ts', path: 'src' })).output).toBe('src/b.ts\nsrc/deep/c.ts\nsrc/a.ts');
    expect((await call('glob', { pattern: 'src/*.{js,ts}' })).output).toBe('src/g.js\nsrc/b.ts\nsrc/a.ts');
  });

  it('includes hidden files when the pattern names a hidden directory', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect((await call('glob', { pattern: '.hidden/*.ts' })).output).toBe('.hidden/f.ts');
  });

  it('caps the list and says how many more files matched', async () => {
    const dir = tempDir();
    writeFiles(dir, Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`gen/f${String(i).padStart(3, '0')}.txt`, 'x'])));
    // Equal times: ties go by path, so the shown files are predictable.
    for (let i = 0; i < 150; i++) utimesSync(join(dir, `gen/f${String(i).padStart(3, '0')}.txt`), 5_000_000, 5_000_000);
    const { call } = await toolHarness(dir, { tools });
    const result = await call('glob', { pattern: '**/*.txt', max_results: 10 });
    const lines = result.output.split('\n');
    expect(lines.slice(0, 2)).toEqual(['gen/f000.txt', 'gen/f001.txt']);
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toBe('… 140 more files not shown (showing 10 of 150). Narrow the pattern or the path.');
  });

  it('falls back to path order, with the full count, when the list is too long to bring back', async () => {
    const dir = tempDir();
    writeFiles(dir, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`gen/f${String(i).padStart(3, '0')}.txt`, 'x'])));
    const harness = await toolHarness(dir, { tools });
    harness.ctx.limits = { ...harness.ctx.limits, execOutputBytes: 4096 };
    const lines = (await harness.call('glob', { pattern: '*.txt', max_results: 20 })).output.split('\n');
    expect(lines.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `gen/f${String(i).padStart(3, '0')}.txt`));
    expect(lines.slice(20)).toEqual([
      '(300 files match, too many to sort by modification time: these are the first in path order)',
      '… 280 more files not shown (showing 20 of 300). Narrow the pattern or the path.',
    ]);
  });

  it('says so plainly when nothing matches', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect(await call('glob', { pattern: '**/*.rs', path: 'src' })).toMatchObject({ ok: true, output: 'no files match **/*.rs in src' });
  });

  it('refuses a file as path, a missing path and a path outside the working directory', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect((await call('glob', { pattern: '*', path: 'src/a.ts' })).output).toBe(
      'Error: src/a.ts is a file; give glob a directory as path, or the file name in pattern',
    );
    expect((await call('glob', { pattern: '*', path: 'gone' })).output).toBe('Error: path not found: gone (paths are relative to the working directory)');
    const outside = await call('glob', { pattern: '*', path: '..' });
    expect(outside.ok).toBe(false);
    expect(outside.output).toContain('is outside the working directory');
  });
});

describe('glob in the bwrap sandbox', () => {
  const opened: Sandbox[] = [];
  afterEach(async () => {
    for (const sandbox of opened.splice(0)) await sandbox.close();
  });

  it('lists the same files newest first as on the host', async () => {
    const root = project();
    const sandbox = await createBwrapSandbox({ root });
    opened.push(sandbox);
    const { call } = await toolHarness(root, { tools, sandbox });
    expect((await call('glob', { pattern: '**/*.ts' })).output).toBe('src/b.ts\nsrc/deep/c.ts\nsrc/a.ts');
  });
});
