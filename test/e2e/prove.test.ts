// --prove: an issue run's fix must be shown by tests that fail on the base commit (with only the
// model's test changes) and pass on the final tree, with nothing that passed on the base broken;
// the proof is written as evidence.json and decides status and commit.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { lastUserMessage } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { ADD_SUB_PROJECT, editCall, testFile, writeFileCall } from '../helpers/prove-fixture.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
const ENV = { SPROUT_API_KEY: 'k' };

const REPRO = writeFileCall('test/add.test.js', testFile('add adds', 'assert.equal(add(2, 3), 5)'));
const FIX = editCall('math.js', 'export function add(a, b) {\n  return a - b;', 'export function add(a, b) {\n  return a + b;');

it('proves a fix whose reproduction fails on the base and passes after, with the patch hash of --patch-out', async () => {
  const repo = tempRepo(ADD_SUB_PROJECT);
  const base = git(repo, 'rev-parse', 'HEAD').trim();
  const out = tempDir('sprout-out-');
  const server = await startServer({
    script: [
      (req) => {
        expect(String(req.body.messages?.[0]?.content)).toContain('Your fix will be proven: leave a test, in a test file, that reproduces the problem.');
        return REPRO;
      },
      FIX,
      { content: 'add() now adds; test/add.test.js reproduces the bug.' },
    ],
  });
  const run = await runCli(
    ['run', '--json', '--base-url', server.url, '--issue', 'issue.md', '--patch-out', join(out, 'fix.patch'), '--evidence-out', join(out, 'evidence.json'), '--summary-out', join(out, 'summary.md')],
    { cwd: repo, env: ENV },
  );
  expect(run.code, run.stderr).toBe(0);
  server.assertDone();
  const result = run.events.at(-1)!;
  expect(result).toMatchObject({ status: 'success', evidence_file: join(out, 'evidence.json') });
  const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8'));
  expect(result.evidence).toEqual(evidence);
  expect(evidence).toMatchObject({
    proven: true,
    base_commit: base,
    reproduction: { files: ['test/add.test.js'], tests: [{ name: 'add adds' }] },
    broken: [],
    still_failing: [],
    before: { tree: 'base commit + test changes', command: 'npm test', passed: 1, failed: 1 },
    after: { tree: 'final', command: 'npm test', exit_code: 0, passed: 2, failed: 0, failing: [] },
    model: { requested: 'doubao-seed-code' },
    sandbox: { kind: 'bwrap', network: false },
  });
  expect(evidence.before.exit_code).not.toBe(0);
  expect(evidence.before.failing.map((t: { name: string }) => t.name)).toEqual(['add adds']);
  expect(evidence.usage.prompt_tokens).toBeGreaterThan(0);
  expect(typeof evidence.model.served).toBe('string');
  expect(evidence.patch_sha256).toBe(createHash('sha256').update(readFileSync(join(out, 'fix.patch'))).digest('hex'));
  // The model's tree and the user's index are as the model left them: nothing staged, nothing reverted.
  expect(git(repo, 'status', '--porcelain')).toBe(' M math.js\n?? test/add.test.js\n');
  expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`Proven: 1 reproduction test (test/add.test.js > add adds) failed on the base commit ${base.slice(0, 12)}`);
  const proofs = run.events.filter((e) => e.type === 'proof');
  expect(proofs).toMatchObject([{ ok: true, reproduction: ['test/add.test.js > add adds'] }]);
});

it('rejects a "reproduction" that already passes on the base, tells the model why, and commits nothing', async () => {
  const repo = tempRepo(ADD_SUB_PROJECT);
  const base = git(repo, 'rev-parse', 'HEAD').trim();
  const out = tempDir('sprout-out-');
  const passingRepro = writeFileCall('test/sub-more.test.js', testFile('sub of equal numbers is 0', 'assert.equal(sub(4, 4), 0)', 'sub'));
  const server = await startServer({
    script: [
      passingRepro,
      FIX,
      { content: 'Fixed add().' },
      (req) => {
        const feedback = lastUserMessage(req) ?? '';
        expect(feedback).toContain('the fix is not proven: no test fails on the base commit');
        expect(feedback).toContain('test/sub-more.test.js');
        expect(feedback).toContain('must fail on the code as it was before your change');
        return { content: 'It is fixed, really.' };
      },
    ],
  });
  const run = await runCli(
    ['run', '--json', '--base-url', server.url, '--issue', 'issue.md', '--verify-retries', '1', '--commit', '--evidence-out', join(out, 'evidence.json')],
    { cwd: repo, env: ENV },
  );
  expect(run.code).toBe(1);
  server.assertDone();
  const result = run.events.at(-1)!;
  expect(result.status).toBe('error');
  expect(String(result.error)).toMatch(/^the fix is not proven after 1 retries: no test fails on the base commit/);
  expect(result.commit).toBeUndefined();
  expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(base);
  const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8'));
  expect(evidence).toMatchObject({ proven: false, reproduction: { tests: [], files: ['test/sub-more.test.js'] }, attempts: 2 });
  expect(evidence.before).toMatchObject({ passed: 2, failed: 0, exit_code: 0 });
});

it('names a test that passed on the base and the fix broke, and leaves the fix unproven', async () => {
  const repo = tempRepo(ADD_SUB_PROJECT);
  const breakSub = editCall('math.js', 'export function sub(a, b) {\n  return a - b;', 'export function sub(a, b) {\n  return a + b;');
  const server = await startServer({ script: [REPRO, FIX, breakSub, { content: 'add() adds now.' }] });
  const run = await runCli(['run', '--json', '--base-url', server.url, '--issue', 'issue.md', '--verify-retries', '0'], { cwd: repo, env: ENV });
  expect(run.code).toBe(1);
  server.assertDone();
  const result = run.events.at(-1)!;
  expect(result.status).toBe('error');
  expect(String(result.error)).toContain('the change breaks tests that passed on the base commit');
  expect(String(result.error)).toContain('test/sub.test.js > sub subtracts');
  expect(result.evidence).toMatchObject({
    proven: false,
    reproduction: { tests: [{ id: 'test/add.test.js > add adds' }] },
    still_failing: [],
    broken: [{ id: 'test/sub.test.js > sub subtracts', name: 'sub subtracts', file: 'test/sub.test.js' }],
  });
});

it('--no-prove runs the plain check, and a project without tests skips the default proof with a warning', async () => {
  const repo = tempRepo(ADD_SUB_PROJECT);
  const server = await startServer({ script: [FIX, { content: 'Fixed add().' }] });
  const run = await runCli(['run', '--json', '--base-url', server.url, '--issue', 'issue.md', '--no-prove'], { cwd: repo, env: ENV });
  expect(run.code, run.stderr).toBe(0);
  expect(run.events.filter((e) => e.type === 'proof')).toEqual([]);
  expect(run.events.at(-1)).toMatchObject({ status: 'success', verification: { exit_code: 0 } });
  expect(run.events.at(-1)!.evidence).toBeUndefined();

  const bare = tempRepo({ 'notes.txt': 'a\n', 'issue.md': '# typo\n\nfix the typo in notes.txt\n' });
  const server2 = await startServer({ script: [editCall('notes.txt', 'a', 'b'), { content: 'Fixed.' }] });
  const run2 = await runCli(['run', '--json', '--base-url', server2.url, '--issue', 'issue.md'], { cwd: bare, env: ENV });
  expect(run2.code, run2.stderr).toBe(0);
  expect(run2.events.some((e) => e.type === 'warning' && String(e.message).startsWith('no proof was made'))).toBe(true);
});

it('--prove outside a git repository is a one-line usage error', async () => {
  const dir = tempDir();
  const run = await runCli(['run', '--base-url', 'http://127.0.0.1:9', '--prove', 'fix it'], { cwd: dir, env: ENV });
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain('--prove needs a git repository');
});

it('a fix that leaves the reproduction failing reads as the failed check, with the proof after it', async () => {
  const repo = tempRepo(ADD_SUB_PROJECT);
  const wrongFix = editCall('math.js', 'export function add(a, b) {\n  return a - b;', 'export function add(a, b) {\n  return a * b;');
  const server = await startServer({ script: [REPRO, wrongFix, { content: 'Fixed.' }] });
  const run = await runCli(['run', '--json', '--base-url', server.url, '--issue', 'issue.md', '--verify-retries', '0'], { cwd: repo, env: ENV });
  expect(run.code).toBe(1);
  server.assertDone();
  const result = run.events.at(-1)!;
  expect(result.error).toBe('the check `npm test` still failed after 0 retries; the fix is not proven: the reproduction still fails after the change: test/add.test.js > add adds');
  expect(result.evidence).toMatchObject({ proven: false, still_failing: [{ id: 'test/add.test.js > add adds' }], broken: [] });
});
