// The verification gate: when the model stops, the tests run; a failure goes back to the model, and a
// run only succeeds when the last check passed.
import { expect, it } from 'vitest';
import { lastUserMessage, toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { BUGGY_ADD_PROJECT, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

const ISSUE = { 'issue.md': '# add() is broken\n\nadd(2, 3) returns -1.\n' };
const edit = (from: string, to: string) => ({ toolCalls: [{ name: 'edit_file', arguments: { path: 'math.js', old_string: from, new_string: to } }] });

it('sends a failing check back to the model, which fixes it on the second try', async () => {
  const repo = tempRepo({ ...BUGGY_ADD_PROJECT, ...ISSUE });
  const server = await startServer({
    script: [
      edit('return a - b;', 'return a * b;'), // a wrong fix: 2 * 3 is not 5
      { content: 'Fixed, I think.' },
      (req) => {
        const feedback = lastUserMessage(req) ?? '';
        expect(feedback).toContain('You said you were done, but the check `npm test` failed');
        expect(feedback).toContain('FAILED: 1 failed');
        expect(feedback).toContain('add adds');
        return edit('return a * b;', 'return a + b;');
      },
      { content: 'Now add() adds; the tests pass.' },
    ],
  });
  const run = await runCli(['run', '--json', '--base-url', server.url, '--issue', 'issue.md'], { cwd: repo, env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(0);
  server.assertDone();
  const checks = run.events.filter((e) => e.type === 'verification');
  expect(checks.map((c) => c.ok)).toEqual([false, true]);
  expect(run.events.at(-1)).toMatchObject({
    status: 'success',
    verification: { command: 'npm test', exit_code: 0, passed: 1, failed: 0, retries: 1 },
  });
});

it('ends with status error, exit 1 and the check output when the model never fixes it', async () => {
  const repo = tempRepo({ ...BUGGY_ADD_PROJECT, ...ISSUE });
  const server = await startServer({
    script: [edit('return a - b;', 'return a - b; // looked at it'), { content: 'Done.' }, { content: 'Still done.' }, { content: 'Really done.' }],
  });
  // --no-prove: the plain check's own wording (a proof adds its findings to it; see prove.test.ts).
  const run = await runCli(['run', '--json', '--base-url', server.url, '--issue', 'issue.md', '--verify-retries', '2', '--no-prove'], {
    cwd: repo,
    env: { SPROUT_API_KEY: 'k' },
  });
  expect(run.code).toBe(1);
  server.assertDone();
  const result = run.events.at(-1)!;
  expect(result).toMatchObject({ status: 'error', error: 'the check `npm test` still failed after 2 retries' });
  expect(result.verification).toMatchObject({ command: 'npm test', failed: 1, passed: 0, retries: 2 });
  expect(String((result.verification as { output: string }).output)).toContain('add adds');
});

it('shows each check in the human output', async () => {
  const repo = tempRepo({ ...BUGGY_ADD_PROJECT, ...ISSUE });
  const server = await startServer({ script: [edit('return a - b;', 'return a + b;'), { content: 'Fixed.' }] });
  const run = await runCli(['run', '--base-url', server.url, '--issue', 'issue.md'], { cwd: repo, env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toContain('✓ check passed: npm test (1 passed, 0 failed)');
});

it('--verify runs the given command in a run that did not come from an issue', async () => {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  const server = await startServer({ script: [{ content: 'done' }] });
  const run = await runCli(['run', '--json', '--base-url', server.url, '--verify', 'test -f a.txt', '-C', repo, 'check a'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(0);
  expect(run.events.at(-1)).toMatchObject({ status: 'success', verification: { command: 'test -f a.txt', exit_code: 0 } });
});

// A test command that finds no test file exits 0 with "# tests 0": nothing was checked.
const NO_TESTS_PROJECT = { 'package.json': JSON.stringify({ name: 'empty', scripts: { test: 'node --test' } }), 'index.js': 'export const x = 1;\n' };

it('a --verify command that exits 0 having run no test fails the run and says no test ran', async () => {
  const repo = tempRepo(NO_TESTS_PROJECT);
  const server = await startServer({
    script: [
      { content: 'Done.' },
      (req) => {
        expect(lastUserMessage(req) ?? '').toContain('the check `npm test` ran no test');
        return { content: 'Still done.' };
      },
    ],
  });
  const run = await runCli(['run', '--json', '--base-url', server.url, '--verify', 'npm test', '--verify-retries', '1', '-C', repo, 'check'], {
    env: { SPROUT_API_KEY: 'k' },
  });
  expect(run.code).toBe(1);
  server.assertDone();
  expect(run.events.filter((e) => e.type === 'verification').map((e) => e.ok)).toEqual([false, false]);
  const result = run.events.at(-1)!;
  expect(result).toMatchObject({ status: 'error', error: 'the check `npm test` ran no test after 1 retries' });
  expect(result.verification).toMatchObject({ exit_code: 0, passed: 0, failed: 0, no_tests_ran: true });
  expect(String((result.verification as { output: string }).output)).toContain('NO TESTS RAN');
});

it('the default check of an issue run fails when the detected tests run none', async () => {
  const repo = tempRepo({ ...NO_TESTS_PROJECT, ...ISSUE });
  const server = await startServer({
    script: [
      { toolCalls: [{ name: 'edit_file', arguments: { path: 'index.js', old_string: 'x = 1', new_string: 'x = 2' } }] },
      { content: 'Done.' },
      { content: 'Done again.' },
    ],
  });
  const run = await runCli(['run', '--json', '--base-url', server.url, '--issue', 'issue.md', '--verify-retries', '1'], { cwd: repo, env: { SPROUT_API_KEY: 'k' } });
  expect(run.code).toBe(1);
  server.assertDone();
  expect(run.events.at(-1)).toMatchObject({ status: 'error', verification: { command: 'npm test', no_tests_ran: true } });
});

it("run_tests' own verdict on a run of zero tests is an error result that says no test ran", async () => {
  const repo = tempRepo(NO_TESTS_PROJECT);
  const server = await startServer({
    script: [
      { toolCalls: [{ id: 'call_t', name: 'run_tests', arguments: {} }] },
      (req) => {
        const [result] = toolResults(req);
        expect(result?.content).toMatch(/^Error: NO TESTS RAN: 0 passed/);
        expect(result?.content).toContain('no test ran');
        return { content: 'No tests.' };
      },
    ],
  });
  const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'run the tests'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(0);
  server.assertDone();
  expect(run.events.find((e) => e.type === 'tool_result')).toMatchObject({ name: 'run_tests', ok: false });
});
