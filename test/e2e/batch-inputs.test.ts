// What a batch reads and copies: a task's long multi-byte answer reaches state.json and the report
// intact however its output is chunked, and a task directory that is no project (/) is refused.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

it('a long CJK answer, read in chunks that split its characters, is intact in state.json and the report', async () => {
  const repo = tempRepo({ 'packages/p1/index.js': 'var p1 = 1;\n' });
  // ~450 KB of three-byte characters: the child's stdout reaches the batch in many pipe reads,
  // and their boundaries fall inside characters.
  const answer = '修复了错误。'.repeat(25_000) + '完';
  const server = await startServer({
    script: [{ toolCalls: [{ name: 'write_file', arguments: { path: 'index.js', content: 'const p1 = 1;\n' } }] }, { content: answer }],
  });
  const run = await runCli(
    ['batch', '--dirs', 'packages/*', '--prompt', 'use const', '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url],
    { cwd: repo, env: { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') }, timeoutMs: 120_000 },
  );
  expect(run.code, run.stderr).toBe(0);
  const state = JSON.parse(readFileSync(join(repo, '.sprout-batch/dirs/state.json'), 'utf8'));
  const saved = state.tasks.p1.result.final_message as string;
  expect(saved.includes('\uFFFD')).toBe(false);
  expect(saved).toBe(answer);
  const report = readFileSync(join(repo, '.sprout-batch/dirs/report.jsonl'), 'utf8');
  expect(report.includes('\uFFFD')).toBe(false);
  expect(JSON.parse(report.trim())).toMatchObject({ id: 'p1', status: 'success' });
}, 120_000);

it('a task whose cwd is / or the home folder is refused before anything is copied', async () => {
  const dir = tempDir('sprout-manifest-');
  const home = tempDir('sprout-home-');
  const server = await startServer({ script: [] });
  const cases: Array<[string, string]> = [['/', 'it is the root of the file system'], [home, 'it is the home folder']];
  for (const [cwd, reason] of cases) {
    writeFileSync(join(dir, 'tasks.json'), JSON.stringify([{ id: 'whole', cwd, prompt: 'tidy up' }]));
    const run = await runCli(['batch', 'tasks.json', '--json', '--sandbox', 'none', '--base-url', server.url], {
      cwd: dir, env: { SPROUT_API_KEY: 'k', HOME: home }, timeoutMs: 30_000,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`tasks.json: task 1 (id "whole"): cwd: ${cwd} is not a project directory (${reason}); a task's directory is checked out or copied whole, so point cwd at the project itself`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, '.sprout-batch'))).toBe(false);
  }
  expect(server.requests).toEqual([]);
});
