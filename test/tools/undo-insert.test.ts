// insert_lines and undo_edit: inserting by line number, and stepping back through a file's changes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

describe('insert_lines', () => {
  it('inserts at the top, in the middle and at the end, keeping the final newline', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'f.txt': 'one\ntwo\n' });
    const { call } = await toolHarness(dir);
    expect((await call('insert_lines', { path: 'f.txt', after_line: 0, text: 'zero' })).output).toBe('Inserted 1 line into f.txt at lines 1-1');
    await call('insert_lines', { path: 'f.txt', after_line: 2, text: 'one and a half\none and three quarters\n' });
    await call('insert_lines', { path: 'f.txt', after_line: 5, text: 'three' });
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('zero\none\none and a half\none and three quarters\ntwo\nthree\n');
  });

  it('refuses a line past the end and says how long the file is', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'f.txt': 'one\n' });
    const { call } = await toolHarness(dir);
    expect((await call('insert_lines', { path: 'f.txt', after_line: 4, text: 'x' })).output).toBe('Error: after_line 4 is past the end of f.txt, which has 1 lines');
  });
});

describe('undo_edit', () => {
  it('steps back through edits one at a time and deletes a file a tool created', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'f.txt': 'v1\n' });
    const { call } = await toolHarness(dir);
    await call('edit_file', { path: 'f.txt', old_string: 'v1', new_string: 'v2' });
    await call('write_file', { path: 'f.txt', content: 'v3\n' });
    await call('write_file', { path: 'new.txt', content: 'fresh\n' });
    expect((await call('undo_edit', { path: 'f.txt' })).output).toBe('Restored f.txt; 1 earlier change can still be undone');
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('v2\n');
    await call('undo_edit', { path: 'f.txt' });
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('v1\n');
    expect((await call('undo_edit', { path: 'f.txt' })).output).toBe('Error: no change to f.txt by a file tool in this run to undo');
    expect((await call('undo_edit', { path: 'new.txt' })).output).toContain('Deleted new.txt');
    expect(existsSync(join(dir, 'new.txt'))).toBe(false);
  });
});
