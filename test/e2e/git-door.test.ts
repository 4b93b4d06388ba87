// A hostile model (scripted, through the real CLI, the real openai SDK and real bwrap) plants git
// config every way it can — a .git of its own in a non-repo directory or a subdirectory of a
// repository, include.path through an alias of the working directory, .gitattributes with
// filter/diff/textconv, core.fsmonitor, core.pager, diff.external, hooks — and then the git tool,
// change tracking, --patch-out, --commit --branch and batch all run host-side git. No program it
// named ever runs on the host (a marker outside the working directory never appears), and the run
// says what it refused.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScriptedTurn } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

/** How the result names an output the git door refused to write (the refusal follows). */
const OUTPUT_FAILED = /^(committing the changes|computing the diff for --patch-out) failed: refused: /;

const startServer = fakeServerPerTest();
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

/** Shell lines (run inside the sandbox) that make `.git` here the model's, with every program-naming setting pointing at `marker`. */
function plantRepo(marker: string): string {
  const run = `touch ${marker}; cat`;
  return [
    'git init -q',
    `git config core.fsmonitor '${run}'`,
    `git config core.pager '${run}'`,
    `git config diff.external '${run}'`,
    `git config filter.evil.clean '${run}'`,
    `git config filter.evil.smudge '${run}'`,
    `git config diff.evil.textconv '${run}'`,
    `printf '#!/bin/sh\\ntouch ${marker}\\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit`,
    `printf '[filter "inc"]\\n\\tclean = touch ${marker}\\n' > evil.cfg`,
    'git config include.path /proc/self/cwd/evil.cfg',
    "printf '* filter=evil diff=evil\\n*.txt filter=inc\\n' > .gitattributes",
    'echo changed > a.txt',
  ].join(' && ');
}

/** The git tool's commands, all in one turn. */
const GIT_CALLS = [
  { name: 'git', arguments: { command: 'status' } },
  { name: 'git', arguments: { command: 'add', paths: ['a.txt'] } },
  { name: 'git', arguments: { command: 'diff' } },
  { name: 'git', arguments: { command: 'log' } },
  { name: 'git', arguments: { command: 'commit', message: 'planted' } },
];

const script = (turns: ScriptedTurn[]) => ({ script: turns });

function toolOutputs(run: CliResult, name: string): string[] {
  return run.events.filter((e) => e.type === 'tool_result' && e.name === name).map((e) => String(e.output));
}

describe('host-side git against planted config', () => {
  it('in a subdirectory of a repository, a .git the model makes is refused by the git tool, change tracking, --branch and --patch-out', async () => {
    const marker = join(tempDir(), 'ran');
    const plantAndUse = [{ toolCalls: [{ name: 'shell', arguments: { command: plantRepo(marker) } }] }, { toolCalls: GIT_CALLS }, { content: 'done' }];
    const server = await startServer(script([...plantAndUse, ...plantAndUse]));
    const out = tempDir('sprout-out-');
    for (const outputs of [['--branch', 'sprout/x'], ['--patch-out', join(out, 'p.patch')]]) {
      const repo = tempRepo({ 'sub/a.txt': 'one\n', 'top.txt': 'top\n' });
      const sub = join(repo, 'sub');
      const run = await runCli(['run', '--json', '--no-verify', '--base-url', server.url, ...outputs, '-C', sub, 'do it'], { env: { SPROUT_API_KEY: 'k' } });
      // The point of it all: no program the model or the repository named ran on the host.
      expect(existsSync(marker)).toBe(false);
      expect(toolOutputs(run, 'shell')[0]).not.toMatch(/Read-only|Permission denied/);
      const refusal = `refused: ${join(sub, '.git')} was made during the run: it is the model's repository, and sprout runs no host-side git in it (the run started in ${repo})`;
      expect(toolOutputs(run, 'git')).toHaveLength(5);
      for (const output of toolOutputs(run, 'git')) expect(output).toContain(refusal);
      expect(run.code).toBe(1);
      const result = run.events.at(-1)!;
      expect(result).toMatchObject({ type: 'result', status: 'error', error: expect.stringMatching(OUTPUT_FAILED) });
      expect(result.error).toContain(refusal);
      expect(result.git_notes).toEqual([`change tracking ${refusal}`]);
      expect(git(repo, 'branch', '--list').trim()).toBe('* main');
      expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    }
    server.assertDone();
    expect(existsSync(join(out, 'p.patch'))).toBe(false);
  }, 90_000);

  it('in a directory that was no repository, the git tool refuses the model-made .git and the run goes on; --patch-out is refused before any request', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    const marker = join(tempDir(), 'ran');
    const server = await startServer(script([{ toolCalls: [{ name: 'shell', arguments: { command: plantRepo(marker) } }] }, { toolCalls: GIT_CALLS }, { content: 'done' }]));
    const run = await runCli(['run', '--json', '--no-verify', '--base-url', server.url, '-C', dir, 'do it'], { env: { SPROUT_API_KEY: 'k' } });
    // The point of it all: no program the model or the repository named ran on the host.
    expect(existsSync(marker)).toBe(false);
    expect(run.code, run.stderr).toBe(0);
    expect(toolOutputs(run, 'git')).toHaveLength(5);
    for (const output of toolOutputs(run, 'git')) expect(output).toMatch(/^Error: the working directory was not in a git repository when the run started/);
    // Change tracking walked the tree instead: it sees the model's files, never its .git.
    expect(run.events.at(-1)).toMatchObject({ status: 'success', changed_files: ['.gitattributes', 'a.txt', 'evil.cfg'] });

    const requests = server.requests.length;
    const refused = await runCli(['run', '--json', '--base-url', server.url, '--patch-out', join(tempDir(), 'p.patch'), '-C', tempDir(), 'do it'], { env: { SPROUT_API_KEY: 'k' } });
    expect(refused.code).toBe(2);
    expect(server.requests).toHaveLength(requests);
    expect(refused.events.at(-1)?.error).toMatch(/^--patch-out needs a git repository, and \S+ was not in a git repository when the run started \(a \.git made during the run is the model's\); run git init and commit there first, or drop --patch-out$/);
  }, 60_000);

  it("a repository whose own config names programs everywhere: the run commits, writes the patch, runs none of them and names what it ignored", async () => {
    const repo = tempRepo({ 'a.txt': 'one\n' });
    const marker = join(tempDir(), 'ran');
    const run = `touch ${marker}; cat`;
    for (const [key, value] of [['core.fsmonitor', run], ['core.pager', run], ['diff.external', run], ['filter.evil.clean', run], ['filter.evil.smudge', run], ['filter.evil.process', run], ['diff.evil.textconv', run], ['diff.evil.command', run], ['core.hooksPath', join(repo, 'hooks')]]) {
      git(repo, 'config', key!, value!);
    }
    writeFileSync(join(repo, '.git/hooks/pre-commit'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    const out = tempDir('sprout-out-');
    const server = await startServer(script([
      { toolCalls: [
        { name: 'write_file', arguments: { path: '.gitattributes', content: '* filter=evil diff=evil\n' } },
        { name: 'write_file', arguments: { path: 'hooks/post-commit', content: `#!/bin/sh\ntouch ${marker}\n` } },
      ] },
      { toolCalls: [{ name: 'shell', arguments: { command: 'chmod +x hooks/post-commit && echo two > a.txt' } }] },
      { toolCalls: GIT_CALLS.slice(0, 4) },
      { content: 'Changed a.txt' },
    ]));
    const result = await runCli(['run', '--json', '--no-verify', '--base-url', server.url, '--patch-out', join(out, 'p.patch'), '--branch', 'sprout/y', '-C', repo, 'do it'], { env: { SPROUT_API_KEY: 'k' } });
    // The point of it all: no program the model or the repository named ran on the host.
    expect(existsSync(marker)).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    const note = 'host-side git ignored the repository config\'s filter "evil", diff "evil": sprout never runs a program the repository names';
    expect(result.events.at(-1)).toMatchObject({ status: 'success', branch: 'sprout/y', changed_files: ['.gitattributes', 'a.txt', 'hooks/post-commit'], git_notes: [note] });
    expect(toolOutputs(result, 'git')[1]).toContain('(host-side git ignored the repository config\'s filter "evil", diff "evil"');
    expect(readFileSync(join(out, 'p.patch'), 'utf8')).toContain('-one\n+two');
    expect(git(repo, 'show', 'sprout/y:a.txt')).toBe('two\n');
  }, 60_000);

  it('repository config that includes a file through /proc/self/cwd or /proc/self/root is refused, and so are the outputs', async () => {
    const repo = tempRepo({ 'a.txt': 'one\n' });
    const marker = join(tempDir(), 'ran');
    git(repo, 'config', '--add', 'include.path', '/proc/self/cwd/evil.cfg');
    git(repo, 'config', '--add', 'include.path', `/proc/self/root${repo}/evil.cfg`);
    const out = tempDir('sprout-out-');
    const server = await startServer(script([
      { toolCalls: [
        { name: 'write_file', arguments: { path: 'evil.cfg', content: `[filter "evil"]\n\tclean = touch ${marker}\n[core]\n\tfsmonitor = touch ${marker}\n` } },
        { name: 'write_file', arguments: { path: '.gitattributes', content: '* filter=evil\n' } },
        { name: 'write_file', arguments: { path: 'a.txt', content: 'two\n' } },
      ] },
      { toolCalls: GIT_CALLS },
      { content: 'done' },
    ]));
    const run = await runCli(['run', '--json', '--no-verify', '--base-url', server.url, '--patch-out', join(out, 'p.patch'), '--commit', '-C', repo, 'do it'], { env: { SPROUT_API_KEY: 'k' } });
    // The point of it all: no program the model or the repository named ran on the host.
    expect(existsSync(marker)).toBe(false);
    const refusal =
      'refused: the repository config includes another file (include.path=/proc/self/cwd/evil.cfg: /proc/self/cwd/evil.cfg is reached through /proc or /dev); ' +
      'host-side git never reads config the model could change';
    expect(toolOutputs(run, 'git')).toHaveLength(5);
    for (const output of toolOutputs(run, 'git')) expect(output).toContain(refusal);
    expect(run.code).toBe(1);
    // Change tracking walks the tree instead of asking git.
    expect(run.events.at(-1)).toMatchObject({ status: 'error', error: expect.stringMatching(OUTPUT_FAILED), changed_files: ['.gitattributes', 'a.txt', 'evil.cfg'] });
    expect(run.events.at(-1)!.error).toContain(refusal);
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
  }, 60_000);

  it('batch: a task whose model makes a .git in its worktree fails with the refusal, and nothing it planted runs', async () => {
    const repo = tempRepo({ 'pkg/a.txt': 'one\n' });
    const marker = join(tempDir(), 'ran');
    const server = await startServer({
      script: [{ toolCalls: [{ name: 'shell', arguments: { command: plantRepo(marker) } }] }, { toolCalls: GIT_CALLS.slice(0, 2) }, { content: 'done' }],
    });
    const run = await runCli(['batch', '--dirs', 'pkg', '--prompt', 'do it', '--json', '--no-verify', '--base-url', server.url], { cwd: repo, env: { SPROUT_API_KEY: 'k' } });
    // The point of it all: no program the model or the repository named ran on the host.
    expect(existsSync(marker)).toBe(false);
    expect(run.code).toBe(1);
    const rows = readFileSync(join(repo, '.sprout-batch/dirs/report.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toMatchObject([{ id: 'pkg', status: 'error', error: expect.stringMatching(/refused: \S+\/pkg\/\.git was made during the run/) }]);
    // The task's refused work left the main work tree and its branch alone.
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
  }, 90_000);
});
