// A repository's .sprout/config.json may only tighten the user's settings: zeroed prices and raised
// limits change nothing (and are reported as ignored), a stricter limit applies, and a resumed run
// keeps the project settings read at its start even when the model rewrote the file meanwhile.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();

function withProjectConfig(settings: object): string {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  mkdirSync(join(repo, '.sprout'));
  writeFileSync(join(repo, '.sprout', 'config.json'), JSON.stringify(settings));
  return repo;
}

const readA = { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] };

it('a project config that zeroes prices and raises every limit changes nothing, and says so', async () => {
  const free = { tiers: [{ upTo: null, input: 0, cachedInput: 0, output: 0 }] };
  const repo = withProjectConfig({
    models: { 'doubao-seed-code': free }, maxCost: 1000, maxTurns: 1000, timeoutSeconds: 99999,
    shellMaxTimeoutSeconds: 99999, execOutputBytes: 2 ** 30, sandboxProcesses: 100000, model: 'no-prices-model',
  });
  const big = { prompt_tokens: 100_000, cached_tokens: 0, completion_tokens: 1000, reasoning_tokens: 0 };
  const server = await startServer({ script: [{ ...readA, usage: big }, { content: 'done' }] });
  const run = await runCli(['run', '--json', '--max-cost', '0.17', '--base-url', server.url, '-C', repo, 'read a'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(3);
  expect(server.requests).toHaveLength(1);
  expect(server.requests[0]!.body.model).toBe('doubao-seed-code');
  // The shipped prices still count: 100K prompt tokens at 1.4, 1000 output at 12 CNY per 1M.
  const result = run.events.at(-1)!;
  expect((result.cost as { amount: number }).amount).toBeCloseTo((100_000 * 1.4 + 1000 * 12) / 1e6, 10);
  expect(String(result.error)).toContain('0.17 CNY');
  const session = run.events.find((e) => e.type === 'session')!;
  // The user set no run timeout, so any project timeout is stricter than none and applies.
  expect(session.project_config).toMatchObject({ applied: { timeoutSeconds: 99999 } });
  const ignored = (session.project_config as { ignored: string[] }).ignored;
  expect(ignored.sort()).toEqual(['execOutputBytes', 'maxCost', 'maxTurns', 'model', 'models', 'sandboxProcesses', 'shellMaxTimeoutSeconds']);
  const warnings = run.events.filter((e) => e.type === 'warning').map((e) => String(e.message));
  expect(warnings).toContainEqual(expect.stringMatching(/^ignored models from .*\.sprout\/config\.json: model profiles and prices come only from your user config/));
  expect(warnings).toContainEqual(expect.stringMatching(/^ignored maxCost from .*: 1000 is looser than your 0\.17/));
});

it('a project config may not redirect the API key: the run goes to the user\'s endpoint and warns', async () => {
  const repo = withProjectConfig({ baseUrl: 'http://127.0.0.1:9/v1', provider: 'joapi' });
  const server = await startServer({ script: [{ content: 'done' }] });
  const run = await runCli(['run', '-C', repo, 'task'], { env: { SPROUT_API_KEY: 'k', ...userConfigEnv({ baseUrl: server.url }) } });
  expect(run.code, run.stderr).toBe(0);
  expect(server.requests).toHaveLength(1);
  expect(run.stderr).toMatch(/ignored baseUrl from .*: a project may not choose where your API key is sent/);
  expect(run.stderr).toMatch(/ignored provider from /);
});

it('a stricter project limit applies, even over a looser flag, and the terminal says so', async () => {
  const repo = withProjectConfig({ maxTurns: 1 });
  const server = await startServer({ script: [readA] });
  const run = await runCli(['run', '--json', '--max-turns', '5', '--base-url', server.url, '-C', repo, 'read a'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(3);
  expect(server.requests).toHaveLength(1);
  expect(run.events.find((e) => e.type === 'session')!.project_config).toMatchObject({ applied: { maxTurns: 1 }, ignored: [] });
  expect(String(run.events.at(-1)!.error)).toContain('--max-turns 1');

  const text = await startServer({ script: [readA] });
  const human = await runCli(['run', '--base-url', text.url, '-C', repo, 'read a'], { env: { SPROUT_API_KEY: 'k' } });
  expect(human.code, human.stderr).toBe(3);
  expect(human.stderr).toContain('.sprout/config.json applied: maxTurns=1');
});

it('the model rewriting .sprout/config.json mid-run does not change the limits of the resumed run', async () => {
  const repo = withProjectConfig({ maxTurns: 2 });
  const state = tempDir('sprout-state-');
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: state };
  const rewrite = { toolCalls: [{ name: 'write_file', arguments: { path: '.sprout/config.json', content: '{"maxTurns": 100}\n' } }] };
  // Four requests in all: two per invocation. A lifted limit would ask for a fifth, which the script lacks.
  const server = await startServer({ script: [rewrite, readA, readA, readA] });
  const first = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'loosen your limits'], { env });
  expect(first.code, first.stderr).toBe(3);
  expect(readFileSync(join(repo, '.sprout', 'config.json'), 'utf8')).toContain('100');

  const resumed = await runCli(['run', '--json', '--resume', 'last', '--base-url', server.url, 'go on'], { cwd: repo, env });
  expect(resumed.code, resumed.stderr).toBe(3);
  expect(server.requests).toHaveLength(4);
  server.assertDone();
  expect(resumed.events.find((e) => e.type === 'session')!.project_config).toMatchObject({ applied: { maxTurns: 2 } });
  const [file] = readdirSync(join(state, 'sprout', 'sessions')).filter((name) => name.endsWith('.jsonl'));
  const header = JSON.parse(readFileSync(join(state, 'sprout', 'sessions', file!), 'utf8').split('\n')[0]!);
  expect(header.project_config).toMatchObject({ settings: { maxTurns: 2 }, applied: { maxTurns: 2 }, ignored: [] });
});

it('sprout doctor names the project settings it ignores', async () => {
  const repo = withProjectConfig({ maxTurns: 1000, models: {} });
  const run = await runCli(['doctor', '--offline', '-C', repo], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.stdout).toMatch(/✓ config: .*; ignored from .*\.sprout\/config\.json: maxTurns, models \(a project file may only tighten\)/);
});
