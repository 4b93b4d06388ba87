// The GitHub Action run as a runner would run its composite steps (bash, env, step outputs and
// conditions), against the fake model server and a fake GitHub API on 127.0.0.1: who may start a
// run, the progress comment, the outputs, the pull request, and bad inputs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type FakeModelServer, startFakeModelServer } from '../fake-server/index.js';
import { type CompositeStep, runComposite } from '../helpers/composite-runner.js';
import { type FakeGithub, startFakeGithub } from '../helpers/fake-github.js';
import { cliEnv } from '../helpers/run-cli.js';
import { BUGGY_ADD_PROJECT, tempDir, tempRepo } from '../helpers/temp-repo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  runs: { steps: CompositeStep[] };
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

let model: FakeModelServer | undefined;
let github: FakeGithub | undefined;
afterEach(async () => {
  await model?.close();
  await github?.close();
  model = github = undefined;
});

const commentEvent = (login: string, type = 'User') => ({
  action: 'created',
  issue: { number: 7, title: 'add() returns the difference', body: 'add(2, 3) gives -1.' },
  comment: { body: '/sprout please', user: { login, type } },
  sender: { login, type },
  repository: { default_branch: 'main' },
});

/** Run every step of action.yml (but the installs) with these inputs in `workspace`. */
async function runAction(workspace: string, inputs: Record<string, string>, event: object) {
  const temp = tempDir('sprout-runner-');
  const context: Record<string, string> = {
    'runner.temp': temp, 'runner.os': 'Linux', 'github.workspace': workspace, 'github.event.repository.default_branch': 'main',
  };
  for (const [name, input] of Object.entries(action.inputs)) context[`inputs.${name}`] = inputs[name] ?? (name === 'github-token' ? 'gh-token' : (input.default ?? ''));
  const files = { GITHUB_STEP_SUMMARY: join(temp, 'step-summary.md'), GITHUB_EVENT_PATH: join(temp, 'event.json') };
  writeFileSync(files.GITHUB_STEP_SUMMARY, '');
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(event));
  const env = cliEnv({
    ...files, GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: temp, GITHUB_REPOSITORY: 'sprout-agent/demo',
    GITHUB_API_URL: github!.url, GITHUB_SERVER_URL: 'https://github.invalid', GITHUB_RUN_ID: '42',
  });
  const steps = await runComposite(action.runs.steps, { context, env, cwd: workspace, temp, skip: ['install', 'system-deps', 'userns'] });
  const byId = Object.fromEntries(steps.map((s) => [s.id, s]));
  return { steps: byId, temp, stepSummary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
}

const fixScript = () => [
  { toolCalls: [{ name: 'edit_file', arguments: { path: 'math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }] },
  { content: 'Fix add() to return the sum\n\nIt subtracted.' },
];

// Each case runs several CLI steps; a loaded 2-core machine needs more than the default 30 s.
describe('the action, run step by step', { timeout: 150_000 }, () => {
  it("a collaborator's comment: the comment is created, updated with the outcome, a pull request opened, outputs set", async () => {
    const repo = tempRepo(BUGGY_ADD_PROJECT);
    const origin = tempDir('sprout-origin-');
    git(origin, 'init', '--bare', '-q');
    git(repo, 'remote', 'add', 'origin', origin);
    model = await startFakeModelServer({ script: fixScript() });
    github = await startFakeGithub({ alice: 'write' });
    const run = await runAction(repo, { 'api-key': 'k', 'base-url': model.url, sandbox: 'none', verify: 'none', 'create-pr': 'true' }, commentEvent('alice'));
    const sprout = run.steps.sprout!;
    expect(sprout.code, sprout.stderr).toBe(0);
    model.assertDone();
    expect(run.steps.check!.stdout).toContain('sprout may run: alice has write permission');

    // One comment on issue 7: started, running, then the outcome with cost, branch and files.
    expect([...github.comments.values()].map((c) => c.issue)).toEqual([7]);
    const bodies = [...github.comments.values()][0]!.bodies;
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toContain('is starting on this ([workflow run](https://github.invalid/sprout-agent/demo/actions/runs/42))');
    expect(bodies[1]).toContain('is working on this');
    expect(bodies[2]).toMatch(/✅ \*\*sprout: success\*\* after 2 turns · cost \d+\.\d{4} CNY/);
    expect(bodies[2]).toContain('Branch: `sprout/run-42`');
    expect(bodies[2]).toContain('- `math.js`');
    expect(github.requests.every((r) => r.authorization === 'Bearer gh-token')).toBe(true);

    expect(sprout.outputs).toMatchObject({
      conclusion: 'success', status: 'success', 'final-message': 'Fix add() to return the sum\n\nIt subtracted.',
      'events-file': join(run.temp, 'sprout-events.jsonl'), 'structured-output': '', cost: expect.stringMatching(/^\d+(\.\d+)?$/),
      currency: 'CNY', 'session-id': expect.stringMatching(/^[0-9a-f-]{36}$/), branch: 'sprout/run-42', commit: git(repo, 'rev-parse', 'HEAD'),
    });
    // The branch was pushed and a pull request opened for it, closing the issue.
    expect(git(origin, 'rev-parse', 'sprout/run-42')).toBe(sprout.outputs.commit);
    expect(github.pulls).toEqual([expect.objectContaining({ head: 'sprout/run-42', base: 'main', title: 'Fix add() to return the sum' })]);
    expect(github.pulls[0]!.body).toContain('Closes #7');
    expect(run.steps.pr!.outputs['pr-url']).toBe('https://github.invalid/pull/1');
    // The job log has a group per turn; the step summary is the run report with its turn table.
    expect(sprout.stderr).toContain('::group::turn 1');
    expect(run.stepSummary).toContain('## sprout: success');
    expect(run.stepSummary).toContain('### Turns');
    // The session is kept where the upload step looks for it.
    expect(readFileSync(join(run.temp, 'sprout-state', 'sprout', 'sessions', `${sprout.outputs['session-id']}.jsonl`), 'utf8')).toContain('"type":"header"');
  });

  it("a non-collaborator's comment is refused before any model request, and nothing else runs", async () => {
    model = await startFakeModelServer({ script: fixScript() });
    github = await startFakeGithub({ alice: 'write', mallory: 'read' });
    for (const login of ['mallory', 'stranger']) {
      const run = await runAction(tempRepo(BUGGY_ADD_PROJECT), { 'api-key': 'k', 'base-url': model.url, sandbox: 'none' }, commentEvent(login));
      expect(run.steps.check!.code).toBe(1);
      expect(run.steps.check!.stdout).toMatch(new RegExp(`::error title=sprout refused::${login} has (read|none) permission on sprout-agent/demo`));
      expect(run.steps.sprout!.ran).toBe(false);
      expect(run.steps.comment!.ran).toBe(false);
    }
    expect(model.requests).toHaveLength(0);
    expect(github.comments.size).toBe(0);
  });

  it('a bot is refused unless allowed-bots names it', async () => {
    model = await startFakeModelServer({ script: [{ content: 'nothing to do' }] });
    github = await startFakeGithub({});
    const refused = await runAction(tempRepo({ 'a.txt': 'x\n' }), { 'api-key': 'k', 'base-url': model.url, sandbox: 'none', prompt: 'look' }, commentEvent('helper[bot]', 'Bot'));
    expect(refused.steps.check!.stdout).toContain('::error title=sprout refused::helper[bot] is a bot; list it in the allowed-bots input');
    expect(model.requests).toHaveLength(0);
    const allowed = await runAction(tempRepo({ 'a.txt': 'x\n' }), { 'api-key': 'k', 'base-url': model.url, sandbox: 'none', prompt: 'look', 'allowed-bots': 'helper', 'progress-comment': 'false' }, commentEvent('helper[bot]', 'Bot'));
    expect(allowed.steps.sprout!.code, allowed.steps.sprout!.stderr).toBe(0);
  });

  it('a limit exits 3 with outputs set and the comment says so; prompt-file and extra-args reach sprout', async () => {
    const repo = tempRepo({ 'a.txt': 'x\n', 'task.md': '--read a.txt forever\n' });
    model = await startFakeModelServer({ script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }], repeatLast: true });
    github = await startFakeGithub({ alice: 'admin' });
    const run = await runAction(repo, { 'api-key': 'k', 'base-url': model.url, sandbox: 'none', 'prompt-file': 'task.md', 'extra-args': '--max-turns\n1' }, commentEvent('alice'));
    expect(run.steps.sprout!.code).toBe(3);
    expect(String(model.requests[0]!.body.messages?.at(-1)?.content)).toContain('--read a.txt forever');
    expect(run.steps.sprout!.outputs).toMatchObject({ conclusion: 'failure', status: 'limit', currency: 'CNY', branch: '' });
    expect(run.steps.sprout!.stderr).toContain('::error title=sprout limit::stopped after 1 model requests');
    expect(run.steps.pr!.ran).toBe(false);
    expect([...github.comments.values()][0]!.bodies.at(-1)).toMatch(/⚠️ \*\*sprout: limit\*\* after 1 turn/);
  });

  it('a bad boolean input is a usage error, exit 2, conclusion failure', async () => {
    github = await startFakeGithub({ alice: 'write' });
    const run = await runAction(tempRepo({ 'a.txt': 'x\n' }), { 'api-key': 'k', prompt: 'task', commit: 'yes' }, commentEvent('alice'));
    expect(run.steps.sprout!.code).toBe(2);
    expect(run.steps.sprout!.outputs).toEqual({ status: 'error', conclusion: 'failure' });
    expect(run.steps.sprout!.stdout).toContain("::error title=sprout::the commit input must be true or false, not 'yes'");
    expect([...github.comments.values()][0]!.bodies.at(-1)).toContain('stopped before the run began');
  });

  it('a missing issue file, or a value sprout rejects before a result, exits 2 with conclusion failure and an annotation', async () => {
    github = await startFakeGithub({ alice: 'write' });
    const quiet = { 'api-key': 'k', sandbox: 'none', 'progress-comment': 'false' };
    const missing = await runAction(tempRepo({ 'a.txt': 'x\n' }), { ...quiet, issue: 'missing.md' }, commentEvent('alice'));
    expect(missing.steps.sprout!.code).toBe(2);
    expect(missing.steps.sprout!.outputs).toMatchObject({ conclusion: 'failure', status: 'error', patch: '', branch: '' });
    expect(missing.steps.sprout!.stderr).toContain('::error title=sprout::cannot read the issue file missing.md');
    const rejected = await runAction(tempRepo({ 'a.txt': 'x\n' }), { ...quiet, prompt: 'task', 'max-turns': 'many' }, commentEvent('alice'));
    expect(rejected.steps.sprout!.code).toBe(2);
    expect(rejected.steps.sprout!.outputs).toMatchObject({ conclusion: 'failure', status: 'error', cost: '', 'session-id': '' });
    expect(rejected.steps.sprout!.stdout).toContain('::error title=sprout::sprout exited with code 2 before writing a result');
  });
});
