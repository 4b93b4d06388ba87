// read_file, write_file and edit_file on real files: success paths and the errors the model sees.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

describe('read_file', () => {
  it('numbers lines and reads a window with offset and limit', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'f.txt': Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n') + '\n' });
    const { call } = await toolHarness(dir);
    const all = await call('read_file', { path: 'f.txt' });
    expect(all.ok).toBe(true);
    expect(all.output.split('\n')[0]).toBe(' 1\tline 1');
    const window = await call('read_file', { path: 'f.txt', offset: 10, limit: 2 });
    expect(window.output).toBe('10\tline 10\n11\tline 11\n(showing lines 10-11 of 12; pass offset=12 to read on)');
  });

  it('refuses a binary file and an offset past the end', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bin'), Buffer.from([0x7f, 0x45, 0x00, 0x01]));
    writeFiles(dir, { 'short.txt': 'one\n' });
    const { call } = await toolHarness(dir);
    expect((await call('read_file', { path: 'bin' })).output).toBe('Error: bin is a binary file (4 bytes); read_file shows text files only');
    expect((await call('read_file', { path: 'short.txt', offset: 5 })).output).toBe('Error: offset 5 is past the end of short.txt, which has 1 lines');
  });
});

describe('write_file', () => {
  it('creates missing folders and says whether it created or overwrote', async () => {
    const dir = tempDir();
    const { call } = await toolHarness(dir);
    expect((await call('write_file', { path: 'a/b/c.txt', content: 'hi\n' })).output).toBe('Created a/b/c.txt (3 bytes)');
    expect((await call('write_file', { path: 'a/b/c.txt', content: 'bye\n' })).output).toBe('Overwrote a/b/c.txt (4 bytes)');
    expect(readFileSync(join(dir, 'a/b/c.txt'), 'utf8')).toBe('bye\n');
  });
});

describe('edit_file', () => {
  it('replaces a unique exact match and leaves the rest of the file alone', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'm.js': 'const a = 1;\nconst b = 2;\n' });
    const { call } = await toolHarness(dir);
    const result = await call('edit_file', { path: 'm.js', old_string: 'const b = 2;', new_string: 'const b = 3;' });
    expect(result).toMatchObject({ ok: true, output: 'Edited m.js at line 2' });
    expect(readFileSync(join(dir, 'm.js'), 'utf8')).toBe('const a = 1;\nconst b = 3;\n');
  });

  it('rejects an ambiguous match and lists the lines, unless replace_all is set', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'm.js': 'x();\ny();\nx();\n' });
    const { call } = await toolHarness(dir);
    const ambiguous = await call('edit_file', { path: 'm.js', old_string: 'x();', new_string: 'z();' });
    expect(ambiguous.ok).toBe(false);
    expect(ambiguous.output).toContain('old_string occurs 2 times in m.js (lines 1, 3)');
    expect(readFileSync(join(dir, 'm.js'), 'utf8')).toBe('x();\ny();\nx();\n');
    const all = await call('edit_file', { path: 'm.js', old_string: 'x();', new_string: 'z();', replace_all: true });
    expect(all.output).toBe('Edited m.js at 2 places');
    expect(readFileSync(join(dir, 'm.js'), 'utf8')).toBe('z();\ny();\nz();\n');
  });

  it('shows the closest lines when the text is not in the file', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'm.js': 'function add(a, b) {\n  return a - b;\n}\n' });
    const { call } = await toolHarness(dir);
    const missing = await call('edit_file', { path: 'm.js', old_string: '  return a-b;', new_string: '  return a + b;' });
    expect(missing.ok).toBe(false);
    expect(missing.output).toContain('old_string was not found in m.js. The closest text is near line 2:');
    expect(missing.output).toContain('2\t  return a - b;');
  });

  it('refuses an edit that changes nothing', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'm.js': 'a\n' });
    const { call } = await toolHarness(dir);
    expect((await call('edit_file', { path: 'm.js', old_string: 'a', new_string: 'a' })).output).toContain('identical');
  });
});

describe('read_file on images and shell in a subdirectory', () => {
  it('describes an image instead of dumping its bytes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'shot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    const { call } = await toolHarness(dir);
    expect(await call('read_file', { path: 'shot.png' })).toMatchObject({ ok: true, output: 'shot.png is a PNG image (12 bytes); images cannot be shown here, only text files' });
  });

  it('shell runs in the given subdirectory and refuses one outside', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'pkg/a.txt': 'a\n' });
    const { call } = await toolHarness(dir);
    expect((await call('shell', { command: 'ls', cwd: 'pkg' })).output).toBe('exit code 0\na.txt');
    expect((await call('shell', { command: 'ls', cwd: '../..' })).output).toMatch(/^Error: path .* is outside the working directory/);
  });
});
