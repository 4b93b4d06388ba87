// The GitHub Action (action.yml) and the example workflows: they parse, agree with each other, with
// `sprout run --help` and with the docs, their bash is valid, and the action's run script, run for
// real against the fake model server, sets its outputs and ends with sprout's exit code.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type FakeModelServer, startFakeModelServer } from '../fake-server/index.js';
import { CLI, cliEnv } from '../helpers/run-cli.js';
import { BUGGY_ADD_PROJECT, tempDir, tempRepo } from '../helpers/temp-repo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const readYaml = <T>(path: string): T => parse(readFileSync(join(ROOT, path), 'utf8')) as T;
const action = readYaml<Action>('action.yml');
const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yml'));
const workflows = EXAMPLES.map((file) => ({ file, workflow: readYaml<Workflow>(`examples/${file}`) }));
const runStep = action.runs.steps.find((s) => s.id === 'sprout')!;

/** Every `${{ ... }}` expression and `if:` condition in a list of steps. */
function expressions(steps: Step[]): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') for (const m of value.matchAll(/\$\{\{(.*?)\}\}/gs)) found.push(m[1]!);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(steps);
  for (const step of steps) if (step.if) found.push(step.if);
  return found;
}

const inputsReferenced = (exprs: string[]) =>
  new Set(exprs.flatMap((e) => [...e.matchAll(/\binputs(?:\.([\w-]+)|\[\s*'([\w-]+)'\s*\])/g)].map((m) => (m[1] ?? m[2])!)));

const isSproutAction = (uses: string | undefined) => uses !== undefined && (uses.endsWith('/sprout@v1') || uses === './');

describe('action.yml', () => {
  it('is a composite action whose steps set up node, install sprout from the action path and run it', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps[0]?.uses).toMatch(/^actions\/setup-node@v\d+$/);
    expect(action.runs.steps.some((s) => s.run?.includes('cd "$GITHUB_ACTION_PATH"') && s.run.includes('npm ci'))).toBe(true);
    expect(runStep.run).toContain('node "$GITHUB_ACTION_PATH/dist/src/cli/main.js" "${args[@]}"');
    for (const step of action.runs.steps) if (step.run) expect(step.shell, step.name).toBe('bash');
  });

  it('every input the steps reference is defined, and every defined input is used', () => {
    const used = inputsReferenced(expressions(action.runs.steps));
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it('api-key is required and reaches sprout only as SPROUT_API_KEY in the environment', () => {
    expect(action.inputs['api-key']?.required).toBe(true);
    const holders = action.runs.steps.filter((s) => JSON.stringify(s).includes('inputs.api-key'));
    expect(holders).toEqual([runStep]);
    expect(Object.entries(runStep.env!).filter(([, v]) => v.includes('inputs.api-key'))).toEqual([['SPROUT_API_KEY', '${{ inputs.api-key }}']]);
  });

  it('no run script contains a ${{ }} expression: inputs reach bash only through the environment', () => {
    for (const step of action.runs.steps) if (step.run) expect(step.run, step.name).not.toContain('${{');
  });

  it("every output's value is a step output that its step writes to $GITHUB_OUTPUT", () => {
    for (const [name, output] of Object.entries(action.outputs)) {
      const m = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(output.value);
      expect(m, `output ${name}: ${output.value}`).not.toBeNull();
      const step = action.runs.steps.find((s) => s.id === m![1]);
      expect(step?.run, `output ${name}: no step ${m![1]}`).toBeDefined();
      const writes = step!.run!.split('\n').some((line) => line.trim().startsWith(`echo "${m![2]}=`) && line.trim().endsWith('>> "$GITHUB_OUTPUT"'));
      expect(writes, `step ${m![1]} never writes ${m![2]}`).toBe(true);
    }
  });

  it('the run step passes sprout only flags that `sprout run --help` lists', () => {
    const help = execFileSync(process.execPath, [CLI, 'run', '--help'], { encoding: 'utf8' });
    const known = new Set(help.match(/--[a-z][a-z-]*/g));
    const used = new Set(runStep.run!.match(/(?<![\w-])--[a-z][a-z-]*/g));
    expect([...used].filter((flag) => !known.has(flag))).toEqual([]);
    for (const flag of ['--json', '--patch-out', '--summary-out', '--issue', '--no-verify', '--verify']) expect(used).toContain(flag);
  });
});

describe('example workflows', () => {
  it('are the four documented ones', () => {
    expect(EXAMPLES.sort()).toEqual(['batch-matrix.yml', 'eval-matrix.yml', 'fix-failing-test.yml', 'issue-to-pr.yml']);
  });

  it.each(workflows)('$file parses and passes the sprout action only inputs it defines, required ones included', ({ file, workflow }) => {
    expect(workflow.on, file).toBeDefined();
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const uses = steps.filter((s) => isSproutAction(s.uses));
    // The batch and eval matrices install sprout themselves: the action runs single tasks.
    if (file !== 'batch-matrix.yml' && file !== 'eval-matrix.yml') expect(uses.length, file).toBeGreaterThan(0);
    const required = Object.entries(action.inputs).filter(([, input]) => input.required).map(([name]) => name);
    for (const step of uses) {
      const given = Object.keys(step.with ?? {});
      expect(given.filter((key) => !(key in action.inputs)), `${file}: ${step.name}`).toEqual([]);
      expect(required.filter((key) => !given.includes(key)), `${file}: ${step.name}`).toEqual([]);
      // Steps after the action read only outputs it declares.
      const outputs = steps.flatMap((s) => expressions([s])).flatMap((e) => [...e.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([\\w-]+)`, 'g'))].map((m) => m[1]!));
      expect(outputs.filter((o) => !(o in action.outputs)), file).toEqual([]);
    }
  });

  it('issue-to-pr commits on sprout/issue-N and may push and open pull requests, nothing more', () => {
    const { workflow } = workflows.find((w) => w.file === 'issue-to-pr.yml')!;
    expect(workflow.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', issues: 'read' });
    const step = Object.values(workflow.jobs).flatMap((j) => j.steps).find((s) => isSproutAction(s.uses))!;
    expect(step.with).toMatchObject({ commit: true, branch: 'sprout/issue-${{ github.event.issue.number }}' });
  });
});

describe('bash in action.yml and the examples', () => {
  const scripts = [
    ...action.runs.steps.filter((s) => s.run).map((s) => ({ where: `action.yml: ${s.name}`, run: s.run! })),
    ...workflows.flatMap(({ file, workflow }) =>
      Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.run).map((s) => ({ where: `${file}: ${s.name ?? s.run}`, run: s.run! }))),
    ),
  ];
  it.each(scripts)('$where passes bash -n', ({ run }) => {
    const file = join(tempDir(), 'step.sh');
    writeFileSync(file, run.replace(/\$\{\{.*?\}\}/gs, 'PLACEHOLDER'));
    const check = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

describe("the README's GitHub Actions section", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const docs = readme.slice(readme.indexOf('### GitHub Actions'), readme.indexOf('## Exit codes'));
  it('documents every input and output and links every example', () => {
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) expect(docs, name).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    for (const file of EXAMPLES) expect(docs).toContain(`(examples/${file})`);
  });
});

describe("the action's run step, run by bash as a runner would", () => {
  let server: FakeModelServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Run the `sprout` step with these inputs in `workspace`; returns the exit code, stdout and outputs. */
  async function runActionStep(workspace: string, inputs: Record<string, string>, event?: object) {
    const temp = tempDir('sprout-runner-');
    const context: Record<string, string> = { 'runner.temp': temp, 'github.workspace': workspace };
    for (const [name, input] of Object.entries(action.inputs)) context[`inputs.${name}`] = inputs[name] ?? input.default ?? '';
    const expand = (text: string) =>
      text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
        if (!(expr in context)) throw new Error(`the test cannot evaluate \${{ ${expr} }}`);
        return context[expr]!;
      });
    const env = Object.fromEntries(Object.entries(runStep.env ?? {}).map(([k, v]) => [k, expand(v)]));
    const files = { GITHUB_OUTPUT: join(temp, 'output'), GITHUB_STEP_SUMMARY: join(temp, 'step-summary.md'), GITHUB_EVENT_PATH: join(temp, 'event.json') };
    for (const file of Object.values(files)) writeFileSync(file, '');
    if (event) writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(event));
    writeFileSync(join(temp, 'step.sh'), runStep.run!);
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(temp, 'step.sh')], {
      cwd: expand(runStep['working-directory'] ?? workspace),
      env: cliEnv({ ...env, ...files, GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: temp }),
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const outputs = Object.fromEntries(
      readFileSync(files.GITHUB_OUTPUT, 'utf8').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { code, stdout, outputs, temp, stepSummary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
  }

  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

  it('with no prompt or issue, fixes the triggering issue on a branch and sets every output', async () => {
    const repo = tempRepo(BUGGY_ADD_PROJECT);
    server = await startFakeModelServer({
      script: [
        (req) => {
          expect(String(req.body.messages?.[1]?.content)).toContain('# add() returns the difference');
          return { toolCalls: [{ name: 'edit_file', arguments: { path: 'math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }] };
        },
        { content: 'Fix add() to return the sum' },
      ],
    });
    const event = { action: 'labeled', issue: { number: 7, title: 'add() returns the difference', body: 'add(2, 3) gives -1.' } };
    const run = await runActionStep(repo, { 'api-key': 'k', 'base-url': server.url, sandbox: 'none', verify: 'none', commit: 'true', branch: 'sprout/issue-7' }, event);
    expect(run.code, run.stdout).toBe(0);
    server.assertDone();
    expect(run.outputs).toEqual({
      status: 'success',
      cost: expect.stringMatching(/^\d+(\.\d+)?$/),
      currency: 'CNY',
      branch: 'sprout/issue-7',
      commit: git(repo, 'rev-parse', 'HEAD'),
      patch: join(run.temp, 'sprout.patch'),
      summary: join(run.temp, 'sprout-summary.md'),
      'session-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(readFileSync(run.outputs.patch!, 'utf8')).toContain('+  return a + b;');
    expect(run.stepSummary).toContain('## sprout: success');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    // Workflow commands are stopped while sprout runs and resumed after it.
    const token = /::stop-commands::(\S+)/.exec(run.stdout)?.[1];
    expect(run.stdout).toContain(`::${token}::`);
  });

  it('a run stopped by a limit exits 3 and still sets the outputs', async () => {
    const repo = tempRepo({ 'a.txt': 'x\n' });
    server = await startFakeModelServer({ script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }], repeatLast: true });
    const run = await runActionStep(repo, { 'api-key': 'k', 'base-url': server.url, sandbox: 'none', prompt: '--loop forever', 'max-turns': '1' });
    expect(run.code).toBe(3);
    expect(run.outputs).toMatchObject({ status: 'limit', currency: 'CNY', branch: '', commit: '', patch: join(run.temp, 'sprout.patch') });
    expect(run.stdout).toContain('::error title=sprout limit::');
  });

  it('a bad boolean input is a usage error, exit 2, with status error', async () => {
    const run = await runActionStep(tempRepo({ 'a.txt': 'x\n' }), { 'api-key': 'k', prompt: 'task', commit: 'yes' });
    expect(run.code).toBe(2);
    expect(run.outputs).toEqual({ status: 'error' });
    expect(run.stdout).toContain("::error title=sprout::the commit input must be true or false, not 'yes'");
  });

  it('a missing issue file exits 2 with status error and the reason as an annotation', async () => {
    const run = await runActionStep(tempRepo({ 'a.txt': 'x\n' }), { 'api-key': 'k', issue: 'missing.md', sandbox: 'none' });
    expect(run.code).toBe(2);
    expect(run.outputs).toMatchObject({ status: 'error', patch: '', branch: '' });
    expect(run.stdout).toContain('::error title=sprout error::cannot read the issue file missing.md');
  });

  it('a value sprout rejects before writing a result exits 2 with status error and empty outputs', async () => {
    const run = await runActionStep(tempRepo({ 'a.txt': 'x\n' }), { 'api-key': 'k', prompt: 'task', 'max-turns': 'many' });
    expect(run.code).toBe(2);
    expect(run.outputs).toEqual({ status: 'error', cost: '', currency: '', branch: '', commit: '', patch: '', summary: '', 'session-id': '' });
    expect(run.stdout).toContain('::error title=sprout::sprout exited with code 2 before writing a result');
  });
});
