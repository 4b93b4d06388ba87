// Real runners from the npm registry (jest, mocha, tap, tape, ava, uvu) plus vitest, node:test and
// pytest, each on a generated project with 300 passing tests and one failing: run_tests reports the
// exact counts, and the failing test's name and message reach the model. A jest project whose tests
// parse process.argv (as a commander-style CLI does) reports what the plain runner reports, before
// and after a fix, also through an `npm test` that chains two commands. Slow (installs and runs
// real runners), so under `npm run test:stress`.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tool } from '../../tools/define-tool.js';
import { runTests } from '../../tools/run-tests/index.js';
import { FIXTURES, fixtureProject, PASSING, runnerModules } from '../helpers/runner-fixtures.js';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

const tools = [runTests as unknown as Tool];

beforeAll(() => {
  runnerModules();
}, 900_000);

async function runIn(root: string, args: object = {}) {
  const harness = await toolHarness(root, { tools, outputLimitBytes: 64 * 1024 });
  harness.ctx.limits = { ...harness.ctx.limits, shellTimeoutMs: 180_000, shellMaxTimeoutMs: 180_000, execOutputBytes: 4 * 1024 * 1024 };
  return harness.call('run_tests', args);
}

describe('run_tests on real runners: 300 passing, 1 failing', () => {
  it.each(FIXTURES.map((f) => [f.runner, f] as const))('%s: exact counts, and the failing test with its message', async (runner, fixture) => {
    const result = await runIn(fixtureProject(fixture));
    expect(result.ok).toBe(false);
    const counts = runner === 'pytest' ? `1 failed, ${PASSING} passed, 1 xpassed (passed although marked xfail), 1 xfailed (failed as expected)` : `1 failed, ${PASSING} passed`;
    expect(result.output.split('\n')[0]).toMatch(new RegExp(`^Error: FAILED: ${counts.replace(/[()]/g, '\\$&')} \\(`));
    expect(result.output).toContain('broken sum'.replace(' ', runner === 'pytest' ? '_' : ' '));
    // jest's matcher says the values; every other runner here was given the message.
    expect(result.output).toMatch(runner === 'jest' ? /Expected: 3\s+.*Received: 2/s : /sums to three/);
  }, 240_000);
});

/** A commander-style CLI: parse() reads process.argv and refuses options it does not know. */
const CLI_PROJECT = (script: string, port: number) => ({
  'package.json': JSON.stringify({ name: 'cli', private: true, scripts: { test: script } }),
  'cli.js':
    `function parse(argv = process.argv.slice(2)) {\n  const opts = { port: ${port} };\n  for (const arg of argv) {\n` +
    `    if (arg.startsWith('--port=')) opts.port = Number(arg.slice(7));\n    else if (arg.startsWith('-')) throw new Error('unknown option ' + arg);\n  }\n  return opts;\n}\nmodule.exports = { parse };\n`,
  'cli.test.js': `const { parse } = require('./cli');\n${Array.from({ length: 40 }, (_, i) => `test('option ${i}', () => { expect(parse([\`--port=${i}\`]).port).toBe(${i}); });`).join('\n')}\ntest('defaults from process.argv', () => { expect(parse().port).toBe(8080); });\n`,
});

/** What the plain runner prints (jest writes its summary to stderr), run as a user would. */
function plainCounts(root: string): string {
  const run = spawnSync('npm', ['test', '--silent'], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  return `${run.stdout.toString()}${run.stderr.toString()}`;
}

describe('a suite that reads process.argv', () => {
  it.each([
    ['a jest script', 'jest'],
    ['a script chaining jest and another command', 'jest && node -e "process.exit(0)"'],
  ])('%s: the same counts as the plain runner, before and after the fix', async (_what, script) => {
    const root = tempDir('sprout-cli-');
    writeFiles(root, CLI_PROJECT(script, 80));
    execFileSync('ln', ['-s', runnerModules(), join(root, 'node_modules')]);
    expect(plainCounts(root)).toMatch(/Tests:\s+1 failed, 40 passed, 41 total/);
    const before = await runIn(root);
    expect(before.output).toMatch(/^Error: FAILED: 1 failed, 40 passed \(jest/);
    expect(before.output).toContain('defaults from process.argv');
    writeFileSync(join(root, 'cli.js'), CLI_PROJECT(script, 8080)['cli.js']);
    expect(plainCounts(root)).toMatch(/Tests:\s+41 passed, 41 total/);
    const after = await runIn(root);
    expect(after.output).toMatch(/^PASSED: 41 passed \(jest/);
    // A subset goes to jest's own command, not to the command the chain ends with; what it reports is
    // what that command reports when a person runs it (jest's -t is in the argv the tests read).
    const some = await runIn(root, { filter: 'defaults' });
    const command = /\nCommand: (.*)\n/.exec(some.output)?.[1] ?? '';
    expect(command).toMatch(/^(npm test -- )?(jest )?-t defaults$|^jest -t defaults$/);
    const plain = spawnSync('bash', ['-c', command], { cwd: root, env: { PATH: `${root}/node_modules/.bin:${process.env.PATH}`, HOME: process.env.HOME } });
    const counts = /Tests:\s+(.*), 41 total/.exec(`${plain.stdout}${plain.stderr}`)?.[1];
    expect(counts).toBe('1 failed, 40 skipped');
    expect(some.output).toMatch(/^Error: FAILED: 1 failed, 0 passed, 40 skipped \(jest/);
  }, 240_000);
});
