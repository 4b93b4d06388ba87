// The grep tool on real directories through the real runner: what it finds, what it skips, how it
// caps and what the model sees when it asks for something impossible; once more under bwrap.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { Tool } from '../../tools/define-tool.js';
import { glob } from '../../tools/glob.js';
import { grep } from '../../tools/grep.js';
import { listDir } from '../../tools/list-dir.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

const tools = [grep, glob, listDir] as unknown as Tool[];

/** A small project with ignored, hidden and binary files that all contain `startServer`. */
function project(): string {
  const dir = tempDir();
  writeFiles(dir, {
    '.gitignore': 'node_modules/\ndist/\n*.log\n',
    'README.md': '# Demo\nCall startServer to begin.\n',
    'lib/legacy.js': 'function startServer() {}\n',
    'src/app.ts': 'export function startServer() {\n  return listen(8080);\n}\n',
    'src/util/strings.ts': "export const GREETING = 'Hello';\nexport function shout(s: string) {\n  return s.toUpperCase();\n}\n",
    'src/util/strings.test.ts': "import { shout } from './strings';\ntest('shout', () => shout('hello'));\n",
    'node_modules/pkg/index.js': 'function startServer() {}\n',
    'dist/app.js': 'function startServer() {}\n',
    'server.log': 'startServer called\n',
    '.hidden/secret.ts': 'startServer();\n',
  });
  writeFileSync(join(dir, 'image.bin'), Buffer.concat([Buffer.from([0x89, 0x50, 0x00, 0x00]), Buffer.from('startServer\n')]));
  return dir;
}

describe('grep', () => {
  it('lists matches by file with line numbers, skipping ignored, hidden and binary files', async () => {
    const { call } = await toolHarness(project(), { tools });
    const result = await call('grep', { pattern: 'start[A-Z]\\w+' });
    expect(result).toMatchObject({ ok: true });
    expect(result.output).toBe(
      ['README.md', '  2: Call startServer to begin.', 'lib/legacy.js', '  1: function startServer() {}', 'src/app.ts', '  1: export function startServer() {'].join('\n'),
    );
  });

  it('filters files with a glob, including a negated one, relative to path', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect((await call('grep', { pattern: 'startServer', glob: '*.ts' })).output).toBe('src/app.ts\n  1: export function startServer() {');
    const notTests = await call('grep', { pattern: 'shout', glob: '!**/*.test.ts' });
    expect(notTests.output).toBe('src/util/strings.ts\n  2: export function shout(s: string) {');
    const inSrc = await call('grep', { pattern: 'shout', path: 'src', glob: 'util/*.test.ts' });
    expect(inSrc.output.split('\n')[0]).toBe('src/util/strings.test.ts');
  });

  it('is case-sensitive unless case_insensitive is set', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect(await call('grep', { pattern: 'greeting' })).toMatchObject({ ok: true, output: 'no matches for /greeting/ in .' });
    const found = await call('grep', { pattern: 'greeting', case_insensitive: true });
    expect(found.output).toBe("src/util/strings.ts\n  1: export const GREETING = 'Hello';");
  });

  it('shows context lines with - and separates distant blocks with --', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'f.txt': Array.from({ length: 10 }, (_, i) => (i === 2 || i === 7 ? `hit ${i + 1}` : `line ${i + 1}`)).join('\n') + '\n' });
    const { call } = await toolHarness(dir, { tools });
    const result = await call('grep', { pattern: '^hit', context: 1 });
    expect(result.output).toBe(['f.txt', '  2- line 2', '  3: hit 3', '  4- line 4', '  --', '  7- line 7', '  8: hit 8', '  9- line 9'].join('\n'));
  });

  it('lists only the matching files with their counts when files_only is set', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': 'x\nx\nx\n', 'b/c.txt': 'x\n', 'd.txt': 'y\n' });
    const { call } = await toolHarness(dir, { tools });
    expect((await call('grep', { pattern: 'x', files_only: true })).output).toBe('a.txt: 3\nb/c.txt: 1');
    const capped = await call('grep', { pattern: 'x', files_only: true, max_results: 1 });
    expect(capped.output).toBe('a.txt: 3\n… 1 more matching file not shown (showing 1 of 2 files, 4 matching lines in all). Narrow the search with a more specific pattern, a path or a glob.');
  });

  it('never searches .git, even when the glob asks for hidden files', async () => {
    const repo = tempRepo({ '.gitignore': '*.tmp\n', 'a.txt': 'needle\n', 'b.tmp': 'needle\n' });
    const { call } = await toolHarness(repo, { tools });
    expect((await call('grep', { pattern: 'needle' })).output).toBe('a.txt\n  1: needle');
    expect((await call('grep', { pattern: 'initial', glob: '.git/**' })).output).toBe('no matches for /initial/ in . (glob .git/**)');
    expect((await call('grep', { pattern: 'initial', path: '.git' })).output).toContain('is inside .git');
  });

  it('caps 1000 matching lines at 200 and says how many more there are and how to narrow', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'many.txt': Array.from({ length: 1000 }, (_, i) => `match ${i + 1}`).join('\n') + '\n', 'z.txt': 'match z\n' });
    const { call } = await toolHarness(dir, { tools });
    const result = await call('grep', { pattern: 'match' });
    const lines = result.output.split('\n');
    expect(lines.slice(0, 3)).toEqual(['many.txt', '  1: match 1', '  2: match 2']);
    expect(lines.filter((l) => /^ {2}\d+: /.test(l))).toHaveLength(200);
    expect(lines.at(-1)).toBe(
      '… 801 more matching lines in 1 more file not shown (showing 200 of 1001 in 1 of 2 files). ' +
        'Narrow the search with a more specific pattern, a path or a glob, or set files_only to list every matching file.',
    );
    expect(result.details).toMatchObject({ matchedLines: 1001, files: 2 });
  });

  it('still counts every match when the exec output cap cuts the rg output', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'many.txt': Array.from({ length: 1000 }, (_, i) => `match ${i + 1}`).join('\n') + '\n' });
    const harness = await toolHarness(dir, { tools });
    harness.ctx.limits = { ...harness.ctx.limits, execOutputBytes: 20_000 };
    const result = await harness.call('grep', { pattern: 'match' });
    const shown = result.output.split('\n').filter((l) => /^ {2}\d+: /.test(l)).length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(200);
    expect(result.output.split('\n').at(-1)).toContain(`more matching lines not shown (showing ${shown} of 1000 in 1 of 1 files)`);
  });

  it('cuts long lines around the match and stays within its output budget', async () => {
    const dir = tempDir();
    const long = `${'a'.repeat(5000)}NEEDLE${'b'.repeat(5000)}`;
    writeFiles(dir, { 'min.js': Array.from({ length: 100 }, () => long).join('\n') + '\n' });
    const { call } = await toolHarness(dir, { tools });
    const result = await call('grep', { pattern: 'NEEDLE' });
    const first = result.output.split('\n')[1]!;
    expect(first).toMatch(/^ {2}1: …a{40}NEEDLEb+… \[line cut\]$/);
    expect(Buffer.byteLength(result.output)).toBeLessThan(13 * 1024);
    expect(result.output.split('\n').at(-1)).toMatch(/^… \d+ more matching lines not shown \(showing \d+ of 100 in 1 of 1 files\)/);
  });

  it('reports no match as a plain result, not an error', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect(await call('grep', { pattern: 'nothing_here', path: 'src', glob: '*.ts' })).toMatchObject({
      ok: true,
      output: 'no matches for /nothing_here/ in src (glob *.ts)',
    });
  });

  it('passes the rg message on for an invalid regex', async () => {
    const { call } = await toolHarness(project(), { tools });
    const result = await call('grep', { pattern: '(foo' });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Error: invalid regex /(foo/');
    expect(result.output).toContain('unclosed group');
  });

  it('treats shell syntax in arguments as plain text', async () => {
    const dir = tempDir();
    writeFiles(dir, { "it's $(x).txt": "a 'quoted' $(touch pwned) `x`\n" });
    const { call } = await toolHarness(dir, { tools });
    const result = await call('grep', { pattern: "'quoted' \\$\\(touch", glob: "it's*" });
    expect(result.output).toBe("it's $(x).txt\n  1: a 'quoted' $(touch pwned) `x`");
  });

  it('refuses paths outside the working directory and names a missing one', async () => {
    const { call } = await toolHarness(project(), { tools });
    const outside = await call('grep', { pattern: 'root', path: '../' });
    expect(outside.ok).toBe(false);
    expect(outside.output).toContain('is outside the working directory');
    expect((await call('grep', { pattern: 'root', path: '/etc' })).output).toContain('is outside the working directory');
    expect(await call('grep', { pattern: 'x', path: 'nope/src' })).toMatchObject({ ok: false, output: 'Error: path not found: nope/src (paths are relative to the working directory)' });
  });

  it('searches a single file given as path', async () => {
    const { call } = await toolHarness(project(), { tools });
    expect((await call('grep', { pattern: 'return', path: 'src/app.ts' })).output).toBe('src/app.ts\n  2:   return listen(8080);');
  });
});

describe('grep in the bwrap sandbox', () => {
  const opened: Sandbox[] = [];
  afterEach(async () => {
    for (const sandbox of opened.splice(0)) await sandbox.close();
  });

  it('finds the same matches as on the host', async () => {
    const root = project();
    const sandbox = await createBwrapSandbox({ root });
    opened.push(sandbox);
    const { call } = await toolHarness(root, { tools, sandbox });
    const result = await call('grep', { pattern: 'startServer', glob: '*.{ts,md}' });
    expect(result.output).toBe('README.md\n  2: Call startServer to begin.\nsrc/app.ts\n  1: export function startServer() {');
  });

  it('returns the results it has plus a note when rg cannot read a file (exit code 2)', async () => {
    const root = tempDir();
    writeFiles(root, { 'a.txt': 'needle\n', 'locked.txt': 'needle\n' });
    chmodSync(join(root, 'locked.txt'), 0o000);
    // All capabilities are dropped in the sandbox, so even root cannot read a mode-000 file there.
    const sandbox = await createBwrapSandbox({ root });
    opened.push(sandbox);
    const { call } = await toolHarness(root, { tools, sandbox });
    const result = await call('grep', { pattern: 'needle' });
    expect(result.ok).toBe(true);
    expect(result.output).toMatch(/^a\.txt\n {2}1: needle\n\(rg reported errors, so some files were not searched: .*locked\.txt: Permission denied/);
  });
});
