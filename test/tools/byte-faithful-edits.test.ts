// Edits are byte-faithful: a Latin-1 file edited on one line keeps every other byte, a CRLF file
// stays pure CRLF after apply_patch, edit_file and insert_lines (inserted blank lines included), a
// character Latin-1 cannot hold is refused clearly, and every edit tool refuses a binary file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';
import { writeFileSync } from 'node:fs';

async function withFile(name: string, bytes: Buffer) {
  const root = tempDir();
  writeFileSync(join(root, name), bytes);
  const harness = await toolHarness(root);
  return { ...harness, bytes: () => readFileSync(join(root, name)) };
}

// "café = 1\nnaïve = 2\nrésumé = 3\n" in Latin-1: é is the single byte 0xE9, ï 0xEF.
const LATIN1 = Buffer.from('café = 1\nnaïve = 2\nrésumé = 3\n', 'latin1');
const patch = (path: string, body: string) => `*** Begin Patch\n*** Update File: ${path}\n${body}*** End Patch\n`;

describe('a Latin-1 file', () => {
  it.each([
    ['edit_file', { path: 'l.txt', old_string: 'naïve = 2', new_string: 'naïve = 20' }],
    ['apply_patch', { patch: patch('l.txt', '@@\n-naïve = 2\n+naïve = 20\n') }],
  ])('%s changes only the edited line, and every other byte stays identical', async (tool, args) => {
    const file = await withFile('l.txt', LATIN1);
    const result = await file.call(tool, args);
    expect(result.ok, result.output).toBe(true);
    expect(file.bytes()).toEqual(Buffer.from('café = 1\nnaïve = 20\nrésumé = 3\n', 'latin1'));
    expect(file.bytes().includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(false);
  });

  it('insert_lines keeps the other bytes, and read_file shows é as é so the model can quote it', async () => {
    const file = await withFile('l.txt', LATIN1);
    expect((await file.call('read_file', { path: 'l.txt' })).output).toContain('1\tcafé = 1');
    expect((await file.call('insert_lines', { path: 'l.txt', after_line: 1, text: 'x = 0' })).ok).toBe(true);
    expect(file.bytes()).toEqual(Buffer.from('café = 1\nx = 0\nnaïve = 2\nrésumé = 3\n', 'latin1'));
  });

  it('refuses, naming the characters, new text that Latin-1 cannot hold, and leaves the file as it was', async () => {
    const file = await withFile('l.txt', LATIN1);
    const result = await file.call('edit_file', { path: 'l.txt', old_string: 'café = 1', new_string: 'café = "€"' });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/l\.txt is not UTF-8 .* characters it cannot hold: "€"/);
    expect(file.bytes()).toEqual(LATIN1);
  });
});

describe('a CRLF file stays pure CRLF', () => {
  const CRLF = Buffer.from('one\r\ntwo\r\nthree\r\n');
  const pureCrlf = (bytes: Buffer) => !/(^|[^\r])\n/.test(bytes.toString('latin1'));

  it('apply_patch: added lines, blank ones included, get CRLF', async () => {
    const file = await withFile('c.txt', CRLF);
    const result = await file.call('apply_patch', { patch: patch('c.txt', '@@\n one\n+\n+inserted\n two\n') });
    expect(result.ok, result.output).toBe(true);
    expect(file.bytes().toString()).toBe('one\r\n\r\ninserted\r\ntwo\r\nthree\r\n');
  });

  it('edit_file: a new_string with LF breaks and a blank line is written with CRLF', async () => {
    const file = await withFile('c.txt', CRLF);
    const result = await file.call('edit_file', { path: 'c.txt', old_string: 'one\ntwo', new_string: 'one\n\nuno\ntwo' });
    expect(result.ok, result.output).toBe(true);
    expect(file.bytes().toString()).toBe('one\r\n\r\nuno\r\ntwo\r\nthree\r\n');
    expect(pureCrlf(file.bytes())).toBe(true);
  });

  it('insert_lines: inserted lines, blank ones included, get CRLF', async () => {
    const file = await withFile('c.txt', CRLF);
    expect((await file.call('insert_lines', { path: 'c.txt', after_line: 3, text: 'four\n\nsix' })).ok).toBe(true);
    expect(file.bytes().toString()).toBe('one\r\ntwo\r\nthree\r\nfour\r\n\r\nsix\r\n');
  });
});

describe('a binary file', () => {
  const BINARY = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x61, 0x0a, 0x62, 0x0a]);

  it.each([
    ['edit_file', { path: 'b.bin', old_string: 'a', new_string: 'c' }],
    ['insert_lines', { path: 'b.bin', after_line: 1, text: 'x' }],
    ['apply_patch', { patch: patch('b.bin', '@@\n-a\n+c\n') }],
  ])('is refused by %s, and left as it was', async (tool, args) => {
    const file = await withFile('b.bin', BINARY);
    const result = await file.call(tool, args);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('b.bin is a binary file');
    expect(file.bytes()).toEqual(BINARY);
  });
});
