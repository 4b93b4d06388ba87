// The list_dir tool on real directories: depth, order, markers, what .gitignore hides, summaries of
// big directories and of the whole tree, mistakes the model makes; once more under bwrap.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import type { Tool } from '../../tools/define-tool.js';
import { glob } from '../../tools/glob.js';
import { grep } from '../../tools/grep.js';
import { listDir } from '../../tools/list-dir.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

const tools = [grep, glob, listDir] as unknown as Tool[];

/** A git repository with ignored directories and files, a hidden directory and an empty one. */
function project(): string {
  const dir = tempRepo({
    '.gitignore': 'node_modules/\nbuild/\n*.log\n',
    'README.md': '# demo\n',
    'src/index.ts': 'x',
    'src/lib/util.ts': 'x',
    'src/lib/deep/more.ts': 'x',
    'src/lib/deep/evenmore/x.ts': 'x',
    '.github/workflows/ci.yml': 'x',
  });
  writeFiles(dir, { 'node_modules/pkg/index.js': 'x', 'build/out.js': 'x', 'debug.log': 'x', 'logs/a.log': 'x' });
  mkdirSync(join(dir, 'empty'));
  return dir;
}

describe('list_dir', () => {
  it('shows two levels by default: directories first, ignored ones marked, ignored files and .git left out', async () => {
    const { call } = await toolHarness(project(), { tools });
    const result = await call('list_dir', {});
    expect(result.ok).toBe(true);
    expect(result.output).toBe(
      [
        './',
        '  .github/',
        '    workflows/ (1 file)',
        '  build/ (ignored)',
        '  empty/ (empty)',
        '  logs/ (ignored)',
        '  node_modules/ (ignored)',
        '  src/',
        '    lib/ (3 files)',
        '    index.ts',
        '  .gitignore',
        '  README.md',
      ].join('\n'),
    );
  });

  it('lists one level at depth 1 and more at a greater depth, counting files below the last level', async () => {
    const { call } = await toolHarness(project(), { tools });
    const shallow = await call('list_dir', { depth: 1 });
    expect(shallow.output.split('\n')).toContain('  src/ (4 files)');
    expect(shallow.output).not.toContain('index.ts');
    const deep = await call('list_dir', { path: 'src', depth: 3 });
    expect(deep.output).toBe(['src/', '  lib/', '    deep/', '      evenmore/ (1 file)', '      more.ts', '    util.ts', '  index.ts'].join('\n'));
  });

  it('summarises a directory past 50 entries as … N more files', async () => {
    const dir = tempDir();
    writeFiles(dir, Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`big/f${String(i).padStart(2, '0')}.txt`, 'x'])));
    const { call } = await toolHarness(dir, { tools });
    const lines = (await call('list_dir', { path: 'big' })).output.split('\n');
    expect(lines).toHaveLength(52);
    expect(lines.slice(0, 2)).toEqual(['big/', '  f00.txt']);
    expect(lines.at(-1)).toBe('  … 10 more files');
  });

  it('stops the whole tree at its entry limit and says how to see the rest', async () => {
    const dir = tempDir();
    const files: Record<string, string> = {};
    for (let d = 0; d < 7; d++) for (let f = 0; f < 50; f++) files[`d${d}/f${String(f).padStart(2, '0')}.txt`] = 'x';
    writeFiles(dir, files);
    const { call } = await toolHarness(dir, { tools });
    const lines = (await call('list_dir', {})).output.split('\n');
    expect(lines).toContain('    … 7 more files');
    expect(lines).toContain('  d6/ (50 files)');
    expect(lines.at(-1)).toBe('(the tree stops here, at its size limit; list a subdirectory or use a smaller depth to see the rest)');
  });

  it('refuses a file, a missing path and a path outside the working directory', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect((await call('list_dir', { path: 'README.md' })).output).toBe('Error: README.md is a file, not a directory; read it with read_file');
    expect((await call('list_dir', { path: 'nope' })).output).toBe('Error: path not found: nope (paths are relative to the working directory)');
    expect((await call('list_dir', { path: '/' })).output).toContain('is outside the working directory');
  });

  it('shows the same tree in the bwrap sandbox', async () => {
    const root = project();
    const sandbox = await createBwrapSandbox({ root });
    try {
      const { call } = await toolHarness(root, { tools, sandbox });
      const result = await call('list_dir', { depth: 1 });
      expect(result.output).toBe(
        ['./', '  .github/ (1 file)', '  build/ (ignored)', '  empty/ (empty)', '  logs/ (ignored)', '  node_modules/ (ignored)', '  src/ (4 files)', '  .gitignore', '  README.md'].join('\n'),
      );
    } finally {
      await sandbox.close();
    }
  });
});
