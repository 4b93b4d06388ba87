// A CI checkout: a GitHub issues event becomes a branch with a commit that fixes the failing test, a
// patch identical to the branch's diff, and a markdown summary (also in $GITHUB_STEP_SUMMARY).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { BUGGY_ADD_PROJECT, tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

const fixScript = () => [
  (req: { body: { messages?: Array<{ content?: unknown }> } }) => {
    expect(String(req.body.messages?.[1]?.content)).toContain('# add() returns the difference');
    return { toolCalls: [{ name: 'edit_file', arguments: { path: 'math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }] };
  },
  { toolCalls: [{ name: 'write_file', arguments: { path: 'NOTES.md', content: 'add() now adds.\n' } }] },
  { content: 'Fix add() to return the sum\n\nadd() subtracted its arguments; it now adds them. npm test passes.' },
];

describe('CI outputs', () => {
  it('turns a GitHub issues event into a branch, a patch equal to its diff, and a summary', async () => {
    const repo = tempRepo(BUGGY_ADD_PROJECT);
    const start = git(repo, 'rev-parse', 'HEAD').trim();
    const out = tempDir('sprout-out-');
    const event = { action: 'labeled', issue: { number: 7, title: 'add() returns the difference', body: 'add(2, 3) gives -1.' } };
    writeFileSync(join(out, 'event.json'), JSON.stringify(event));
    writeFileSync(join(out, 'step-summary.md'), '');
    const server = await startServer({ script: fixScript() });
    const run = await runCli(
      ['run', '--json', '--no-verify', '--base-url', server.url, '--branch', 'sprout/issue-7', '--patch-out', join(out, 'fix.patch'), '--summary-out', join(out, 'summary.md')],
      { cwd: repo, env: { SPROUT_API_KEY: 'k', GITHUB_ACTIONS: 'true', GITHUB_EVENT_PATH: join(out, 'event.json'), GITHUB_STEP_SUMMARY: join(out, 'step-summary.md') } },
    );
    expect(run.code, run.stderr).toBe(0);
    server.assertDone();
    const result = run.events.at(-1)!;
    expect(result).toMatchObject({ status: 'success', branch: 'sprout/issue-7', patch_file: join(out, 'fix.patch'), changed_files: ['NOTES.md', 'math.js'] });

    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('sprout/issue-7');
    expect(git(repo, 'log', '-1', '--format=%an <%ae>%n%s')).toBe('sprout <sprout@users.noreply.github.com>\nFix add() to return the sum\n');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    const branchDiff = git(repo, 'diff', '--binary', '--full-index', start, 'HEAD');
    expect(readFileSync(join(out, 'fix.patch'), 'utf8')).toBe(branchDiff);
    // The fix is real: the project's tests pass on the branch.
    execFileSync('node', ['--test'], { cwd: repo, stdio: 'pipe' });

    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('## sprout: success');
    expect(summary).toContain('Fix add() to return the sum');
    expect(summary).toContain('- `math.js`');
    expect(summary).toContain('| branch | `sprout/issue-7`');
    expect(readFileSync(join(out, 'step-summary.md'), 'utf8')).toBe(`${summary}\n`);
  });

  it('a patch applies cleanly to a fresh checkout of the starting commit, binary files included', async () => {
    const repo = tempRepo(BUGGY_ADD_PROJECT);
    const out = tempDir('sprout-out-');
    const server = await startServer({
      script: [
        { toolCalls: [{ name: 'shell', arguments: { command: "printf '\\x00\\x01\\xff' > blob.bin && rm math.test.js" } }] },
        { content: 'Added a blob and removed the test.' },
      ],
    });
    const run = await runCli(['run', '--json', '--base-url', server.url, '--patch-out', join(out, 'p.patch'), '-C', repo, 'do it'], { env: { SPROUT_API_KEY: 'k' } });
    expect(run.code, run.stderr).toBe(0);
    const clone = join(tempDir(), 'clone');
    execFileSync('git', ['clone', '-q', repo, clone]);
    git(clone, 'apply', '--binary', join(out, 'p.patch'));
    expect(readFileSync(join(clone, 'blob.bin'))).toEqual(Buffer.from([0, 1, 255]));
    expect(git(clone, 'status', '--porcelain')).toBe(' D math.test.js\n?? blob.bin\n');
  });

  it('a run from an issue that changes nothing ends with status error, exit 1', async () => {
    const repo = tempRepo({ ...BUGGY_ADD_PROJECT, 'issue.md': '# Bug\n\nadd is wrong\n' });
    const server = await startServer({ script: [{ content: 'I looked and everything is fine.' }] });
    const run = await runCli(['run', '--json', '--no-verify', '--base-url', server.url, '--issue', 'issue.md', '--commit'], { cwd: repo, env: { SPROUT_API_KEY: 'k' } });
    expect(run.code).toBe(1);
    expect(run.events.at(-1)).toMatchObject({ status: 'error', error: expect.stringContaining('without changing any file') });
    // --commit made no commit: a failed run claims nothing.
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
  });
});
