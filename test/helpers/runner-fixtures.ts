// Real test runners for the stress suites: installed once from the npm registry into a cache keyed
// by their versions (re-runs reuse it), and fixture projects generated in code with several hundred
// passing tests and one failing one per runner, in each runner's own idiom.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, writeFiles } from './temp-repo.js';

/** Exact versions, so a captured behaviour stays the behaviour tested. */
export const RUNNER_VERSIONS = { jest: '30.5.2', mocha: '12.0.3', tap: '21.8.0', tape: '5.10.2', ava: '7.0.0', uvu: '0.5.6' };

/** How many tests pass in each fixture (one more fails). */
export const PASSING = 300;

/** node_modules holding the runners, installed on first use. */
export function runnerModules(): string {
  const key = createHash('sha256').update(JSON.stringify(RUNNER_VERSIONS)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `sprout-runners-${key}`);
  if (existsSync(join(dir, 'installed'))) return join(dir, 'node_modules');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'sprout-runners', private: true }));
  const specs = Object.entries(RUNNER_VERSIONS).map(([name, version]) => `${name}@${version}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...specs], { cwd: dir, stdio: 'pipe', timeout: 600_000 });
  writeFileSync(join(dir, 'installed'), new Date().toISOString());
  return join(dir, 'node_modules');
}

const repoModules = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** What a fixture is and how its failure reads. */
export interface RunnerFixture {
  runner: string;
  files: Record<string, string>;
  /** Where its node_modules come from: the registry install, this repository's (vitest), or none. */
  modules: 'runners' | 'repo' | 'none';
}

const times = (make: (i: number) => string) => Array.from({ length: PASSING }, (_, i) => make(i)).join('\n');
const pkg = (test: string, type = 'module') => JSON.stringify({ name: 'fixture', private: true, type, scripts: { test } });

/** One fixture per runner; the failing test is named "broken sum" and says "sums to three" where the runner lets it. */
export const FIXTURES: RunnerFixture[] = [
  {
    runner: 'jest', modules: 'runners',
    files: { 'package.json': pkg('jest', 'commonjs'), 'math.test.js': `describe('math', () => {\n${times((i) => `  test('adds ${i}', () => { expect(${i} + 1).toBe(${i + 1}); });`)}\n  test('broken sum', () => { expect(1 + 1).toBe(3); });\n});\n` },
  },
  {
    runner: 'vitest', modules: 'repo',
    files: { 'package.json': pkg('vitest run'), 'math.test.js': `import { describe, expect, test } from 'vitest';\ndescribe('math', () => {\n${times((i) => `  test('adds ${i}', () => { expect(${i} + 1).toBe(${i + 1}); });`)}\n  test('broken sum', () => { expect(1 + 1, 'sums to three').toBe(3); });\n});\n` },
  },
  {
    runner: 'mocha', modules: 'runners',
    files: { 'package.json': pkg('mocha', 'commonjs'), 'test/math.test.js': `const assert = require('node:assert');\ndescribe('math', () => {\n${times((i) => `  it('adds ${i}', () => { assert.strictEqual(${i} + 1, ${i + 1}); });`)}\n  it('broken sum', () => { assert.strictEqual(1 + 1, 3, 'sums to three'); });\n});\n` },
  },
  {
    runner: 'tape', modules: 'runners',
    files: { 'package.json': pkg('tape test/*.js', 'commonjs'), 'test/math.js': `const test = require('tape');\n${times((i) => `test('adds ${i}', (t) => { t.equal(${i} + 1, ${i + 1}); t.end(); });`)}\ntest('broken sum', (t) => { t.equal(1 + 1, 3, 'sums to three'); t.end(); });\n` },
  },
  {
    runner: 'tap', modules: 'runners',
    files: { 'package.json': pkg('tap --disable-coverage'), 'test/math.test.js': `import t from 'tap';\nt.test('math', async (t) => {\n${times((i) => `  t.test('adds ${i}', async (t) => { t.equal(${i} + 1, ${i + 1}); });`)}\n  t.test('broken sum', async (t) => { t.equal(1 + 1, 3, 'sums to three'); });\n});\n` },
  },
  {
    runner: 'ava', modules: 'runners',
    files: { 'package.json': pkg('ava'), 'math.test.js': `import test from 'ava';\n${times((i) => `test('adds ${i}', (t) => { t.is(${i} + 1, ${i + 1}); });`)}\ntest('broken sum', (t) => { t.is(1 + 1, 3, 'sums to three'); });\n` },
  },
  {
    runner: 'uvu', modules: 'runners',
    files: { 'package.json': pkg('uvu tests'), 'tests/math.test.js': `import { test } from 'uvu';\nimport * as assert from 'uvu/assert';\n${times((i) => `test('adds ${i}', () => { assert.is(${i} + 1, ${i + 1}); });`)}\ntest('broken sum', () => { assert.is(1 + 1, 3, 'sums to three'); });\ntest.run();\n` },
  },
  {
    runner: 'node', modules: 'none',
    files: { 'package.json': pkg('node --test'), 'math.test.js': `import { describe, test } from 'node:test';\nimport assert from 'node:assert/strict';\ndescribe('math', () => {\n${times((i) => `  test('adds ${i}', () => { assert.equal(${i} + 1, ${i + 1}); });`)}\n  test('broken sum', () => { assert.equal(1 + 1, 3, 'sums to three'); });\n});\n` },
  },
  {
    runner: 'pytest', modules: 'none',
    files: {
      'pytest.ini': '[pytest]\n',
      'test_math.py': `import pytest\n\n@pytest.mark.parametrize("i", range(${PASSING}))\ndef test_adds(i):\n    assert i + 1 == i + 1\n\ndef test_broken_sum():\n    assert 1 + 1 == 3, "sums to three"\n\n@pytest.mark.xfail\ndef test_known_bug():\n    assert False\n\n@pytest.mark.xfail\ndef test_fixed_bug():\n    assert True\n`,
    },
  },
];

/** A directory holding `fixture`, with its node_modules linked in. */
export function fixtureProject(fixture: RunnerFixture): string {
  const root = tempDir(`sprout-${fixture.runner}-`);
  writeFiles(root, fixture.files);
  if (fixture.modules !== 'none') symlinkSync(fixture.modules === 'repo' ? repoModules : runnerModules(), join(root, 'node_modules'));
  return root;
}
