// apply_patch through the real runner on real temporary directories: each kind of operation, the
// loosening match steps, all-or-nothing failure, and the errors the model sees.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHostSandbox } from '../../sandbox/host.js';
import { applyPatch } from '../../tools/apply-patch/index.js';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

/** A patch from its lines, with the Begin and End markers around them. */
const patch = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

async function setup(files: Record<string, string>) {
  const dir = tempDir();
  writeFiles(dir, files);
  const { call } = await toolHarness(dir, { tools: [applyPatch] });
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');
  const exists = (path: string) => existsSync(join(dir, path));
  return { dir, read, exists, apply: (text: string) => call('apply_patch', { patch: text }) };
}

describe('apply_patch operations', () => {
  it('adds a file with its lines, creating missing folders', async () => {
    const { read, apply } = await setup({});
    const result = await apply(patch('*** Add File: docs/new/notes.md', '+# Notes', '+', '+done'));
    expect(result).toMatchObject({ ok: true, output: 'Applied the patch:\nA docs/new/notes.md (+3)' });
    expect(read('docs/new/notes.md')).toBe('# Notes\n\ndone\n');
  });

  it('updates a file, keeping the lines around the change', async () => {
    const { read, apply } = await setup({ 'm.js': 'function add(a, b) {\n  return a - b;\n}\n' });
    const result = await apply(patch('*** Update File: m.js', '@@', ' function add(a, b) {', '-  return a - b;', '+  return a + b;', ' }'));
    expect(result.output).toBe('Applied the patch:\nM m.js (+1 -1)');
    expect(read('m.js')).toBe('function add(a, b) {\n  return a + b;\n}\n');
  });

  it('deletes a file and counts its lines', async () => {
    const { exists, apply } = await setup({ 'old.txt': 'a\nb\n' });
    expect((await apply(patch('*** Delete File: old.txt'))).output).toBe('Applied the patch:\nD old.txt (-2)');
    expect(exists('old.txt')).toBe(false);
  });

  it('moves a file and edits it on the way', async () => {
    const { read, exists, apply } = await setup({ 'src/a.py': 'import os\nimport sys\n' });
    const result = await apply(patch('*** Update File: src/a.py', '*** Move to: lib/b.py', '@@', ' import os', '-import sys'));
    expect(result.output).toBe('Applied the patch:\nR src/a.py -> lib/b.py (+0 -1)');
    expect(exists('src/a.py')).toBe(false);
    expect(read('lib/b.py')).toBe('import os\n');
  });

  it('renames a file with a Move to and no hunks', async () => {
    const { read, exists, apply } = await setup({ 'a.txt': 'same\n' });
    expect((await apply(patch('*** Update File: a.txt', '*** Move to: b.txt'))).ok).toBe(true);
    expect([exists('a.txt'), read('b.txt')]).toEqual([false, 'same\n']);
  });

  it('replaces a whole file by deleting and adding it in one patch', async () => {
    const { read, apply } = await setup({ 'f.txt': 'old\n' });
    const result = await apply(patch('*** Delete File: f.txt', '*** Add File: f.txt', '+new'));
    expect(result.output).toBe('Applied the patch:\nD f.txt (-1)\nA f.txt (+1)');
    expect(read('f.txt')).toBe('new\n');
  });

  it('applies several hunks to one file in order', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const { read, apply } = await setup({ 'f.txt': `${lines.join('\n')}\n` });
    const result = await apply(patch('*** Update File: f.txt', '@@', ' line 2', '-line 3', '+LINE 3', ' line 4', '@@', ' line 17', '+inserted', ' line 18'));
    expect(result.output).toBe('Applied the patch:\nM f.txt (+2 -1)');
    const after = read('f.txt').split('\n');
    expect(after[2]).toBe('LINE 3');
    expect(after.slice(16, 19)).toEqual(['line 17', 'inserted', 'line 18']);
  });

  it('adds, updates and deletes several files in one patch', async () => {
    const { read, exists, apply } = await setup({ 'a.txt': 'one\ntwo\n', 'b.txt': 'gone\n' });
    const result = await apply(patch('*** Add File: c.txt', '+new', '*** Update File: a.txt', '@@', ' one', '-two', '+2', '*** Delete File: b.txt'));
    expect(result.output).toBe('Applied the patch:\nA c.txt (+1)\nM a.txt (+1 -1)\nD b.txt (-1)');
    expect([read('a.txt'), read('c.txt'), exists('b.txt')]).toEqual(['one\n2\n', 'new\n', false]);
  });

  it('places a hunk after its @@ anchor line when the context alone repeats', async () => {
    const file = 'function a() {\n  return 0;\n}\nfunction b() {\n  return 0;\n}\n';
    const { read, apply } = await setup({ 'f.js': file });
    await apply(patch('*** Update File: f.js', '@@ function b() {', '-  return 0;', '+  return 1;'));
    expect(read('f.js')).toBe('function a() {\n  return 0;\n}\nfunction b() {\n  return 1;\n}\n');
  });

  it('narrows down with several @@ lines in a row, each found after the one before', async () => {
    const file = 'class A:\n    def run(self):\n        return 0\nclass B:\n    def run(self):\n        return 0\n';
    const { read, apply } = await setup({ 'f.py': file });
    await apply(patch('*** Update File: f.py', '@@ class B:', '@@     def run(self):', '-        return 0', '+        return 1'));
    expect(read('f.py')).toBe(file.replace(/return 0\n$/, 'return 1\n'));
  });

  it('anchors a hunk ending in *** End of File at the end of the file', async () => {
    const { read, apply } = await setup({ 'f.txt': 'x\ny\nx\n' });
    await apply(patch('*** Update File: f.txt', '@@', '-x', '+z', '*** End of File'));
    expect(read('f.txt')).toBe('x\ny\nz\n');
  });

  it('accepts a heredoc wrapper, CRLF breaks, blank edges and no final newline, and keeps a CRLF file CRLF', async () => {
    const { read, apply } = await setup({ 'w.txt': 'a\r\nb\r\n' });
    const text = `\n<<'EOF'\r\n${patch('*** Update File: w.txt', '@@', ' a', '-b', '+c').replace(/\n/g, '\r\n')}\r\nEOF`;
    expect((await apply(text)).ok).toBe(true);
    expect(read('w.txt')).toBe('a\r\nc\r\n');
  });
});

describe('apply_patch loosens context matching one step at a time', () => {
  it('ignores trailing whitespace and keeps the file’s own context line', async () => {
    const { read, apply } = await setup({ 'f.py': 'x = 1   \ny = 2\n' });
    const result = await apply(patch('*** Update File: f.py', '@@', ' x = 1', '-y = 2', '+y = 3'));
    expect(result.output).toBe('Applied the patch:\nM f.py (+1 -1; hunk 1 matched ignoring trailing whitespace)');
    expect(read('f.py')).toBe('x = 1   \ny = 3\n');
  });

  it('ignores leading and trailing whitespace when the indentation is off', async () => {
    const { read, apply } = await setup({ 'f.py': 'def f():\n        return 1\n' });
    const result = await apply(patch('*** Update File: f.py', '@@', ' def f():', '-    return 1', '+        return 2'));
    expect(result.output).toContain('hunk 1 matched ignoring leading and trailing whitespace');
    expect(read('f.py')).toBe('def f():\n        return 2\n');
  });

  it('reads curly quotes, em dashes and non-breaking spaces in the file as ASCII', async () => {
    const { read, apply } = await setup({ 'doc.md': 'He said \u201chi\u201d \u2014 it\u2019s\u00a0fine.\nold\n' });
    const result = await apply(patch('*** Update File: doc.md', '@@', ' He said "hi" - it\'s fine.', '-old', '+new'));
    expect(result.output).toContain('hunk 1 matched with typographic punctuation read as ASCII');
    expect(read('doc.md')).toBe('He said \u201chi\u201d \u2014 it\u2019s\u00a0fine.\nnew\n');
  });
});

describe('apply_patch is all or nothing', () => {
  it('leaves every file untouched when a hunk of the second file fails, and shows where', async () => {
    const files = { 'a.txt': 'one\ntwo\n', 'b.js': 'const x = 1;\nconst y = 2;\nconst z = 3;\n', 'd.txt': 'keep\n' };
    const { read, exists, apply } = await setup(files);
    const result = await apply(
      patch(
        '*** Update File: a.txt', '@@', ' one', '-two', '+2',
        '*** Add File: c.txt', '+new',
        '*** Delete File: d.txt',
        '*** Update File: b.js', '@@ const x = 1;', '-const y = 20;', '+const y = 3;',
      ),
    );
    expect(result.ok).toBe(false);
    expect(result.output).toContain('hunk 1 of 1 (@@ const x = 1;) for b.js (patch line 11) did not apply');
    expect(result.output).toContain('-const y = 20;');
    expect(result.output).toContain('The closest match is at line 2:\n1\tconst x = 1;\n2\tconst y = 2;\n3\tconst z = 3;');
    expect(result.output).toContain('No file was changed');
    expect([read('a.txt'), read('b.js'), read('d.txt'), exists('c.txt')]).toEqual([files['a.txt'], files['b.js'], 'keep\n', false]);
  });

  it('restores the files already written when a later write fails', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const host = await createHostSandbox({ root: dir });
    const sandbox = {
      ...host,
      async writeFile(path: string, data: string | Uint8Array) {
        if (path === 'b.txt') throw new Error('disk full');
        return host.writeFile(path, data);
      },
    };
    const { call } = await toolHarness(dir, { tools: [applyPatch], sandbox });
    const text = patch('*** Update File: a.txt', '-a', '+A', '*** Add File: new.txt', '+n', '*** Update File: b.txt', '-b', '+B');
    const result = await call('apply_patch', { patch: text });
    expect(result.output).toBe('Error: could not write b.txt: disk full. The 2 file(s) already changed were restored (a.txt, new.txt); no file was changed.');
    expect([readFileSync(join(dir, 'a.txt'), 'utf8'), existsSync(join(dir, 'new.txt'))]).toEqual(['a\n', false]);
  });
});

describe('apply_patch errors', () => {
  it('reports a parse error with its patch line and the valid alternatives', async () => {
    const { read, apply } = await setup({ 'a.txt': 'a\n' });
    const result = await apply(patch('*** Update File: a.txt', '@@', '-a', 'oops', '+b'));
    expect(result.output).toBe(
      `Error: invalid patch at line 5: "oops" is not a hunk line. Expected one of: ' <context line>', '-<removed line>', '+<added line>', '@@', '@@ <anchor line>', '*** End of File'\n` +
        'No file was changed; fix the patch and send all of it again.',
    );
    expect(read('a.txt')).toBe('a\n');
  });

  it('refuses to add a file that exists', async () => {
    const { read, apply } = await setup({ 'a.txt': 'mine\n' });
    const result = await apply(patch('*** Add File: a.txt', '+theirs'));
    expect(result.output).toContain('cannot add a.txt (patch line 2): it already exists; use *** Update File');
    expect(read('a.txt')).toBe('mine\n');
  });

  it('refuses to update or delete a file that does not exist', async () => {
    const { apply } = await setup({});
    expect((await apply(patch('*** Update File: nope.txt', '@@', '-a', '+b'))).output).toContain('cannot update nope.txt (patch line 2): it does not exist');
    expect((await apply(patch('*** Delete File: nope.txt'))).output).toContain('cannot delete nope.txt (patch line 2): it does not exist');
  });

  it('refuses a path outside the working directory and writes nothing', async () => {
    const outside = tempDir('sprout-outside-');
    const { exists, apply } = await setup({});
    const result = await apply(patch('*** Add File: inside.txt', '+ok', `*** Add File: ${join(outside, 'x.txt')}`, '+pwned'));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/outside the working directory/);
    expect([exists('inside.txt'), existsSync(join(outside, 'x.txt'))]).toEqual([false, false]);
  });

  it('shows the lines where an anchor was expected when nothing is similar', async () => {
    const { apply } = await setup({ 'f.txt': 'alpha\nbeta\n' });
    const result = await apply(patch('*** Update File: f.txt', '@@ zzz', '-beta'));
    expect(result.output).toContain('hunk 1 of 1 (@@ zzz) for f.txt (patch line 3) did not apply: its @@ line "zzz" was not found');
    expect(result.output).toContain('1\talpha\n2\tbeta');
  });
});

describe('apply_patch footprint', () => {
  it('lists every path the patch names, Move to targets included', () => {
    const text = patch('*** Add File: a.txt', '+x', '*** Update File: b.txt', '*** Move to: c.txt', '*** Delete File: a.txt');
    expect(applyPatch.footprint?.({ patch: text })).toEqual({ paths: ['a.txt', 'b.txt', 'c.txt'] });
  });

  it('is empty for a patch that does not parse', () => {
    expect(applyPatch.footprint?.({ patch: 'not a patch' })).toEqual({});
  });
});
