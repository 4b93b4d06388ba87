// run_tests end to end: real test runners (node --test, vitest, pytest) run through the real tool
// runner in a host sandbox, and node --test once more inside bubblewrap.
import { readdirSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { Tool } from '../../tools/define-tool.js';
import { runTests } from '../../tools/run-tests/index.js';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

const tools = [runTests as unknown as Tool];
const repoNodeModules = fileURLToPath(new URL('../../node_modules', import.meta.url));
const opened: Sandbox[] = [];
afterEach(async () => {
  for (const sandbox of opened.splice(0)) await sandbox.close();
});

const NODE_PROJECT: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', type: 'module', scripts: { test: 'node --test' } }),
  'math.js': 'export function add(a, b) {\n  return a - b;\n}\n',
  'math.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from './math.js';\n\n" +
    "test('add adds', () => {\n  assert.equal(add(2, 3), 5);\n});\n\ntest('add keeps zero', () => {\n  assert.equal(add(0, 0), 0);\n});\n",
};

function project(files: Record<string, string>): string {
  const root = tempDir('sprout-run-tests-');
  writeFiles(root, files);
  return root;
}

/** A vitest project that resolves vitest from this repository's node_modules instead of installing it. */
function vitestProject(files: Record<string, string>): string {
  const root = project({ 'package.json': JSON.stringify({ type: 'module', scripts: { test: 'vitest run' } }), ...files });
  symlinkSync(repoNodeModules, `${root}/node_modules`);
  return root;
}

describe('run_tests on real runners', () => {
  it('node --test: reports 1 failed, 1 passed with the failing test, its line and its assertion message', async () => {
    const root = project(NODE_PROJECT);
    const { call } = await toolHarness(root, { tools });
    const result = await call('run_tests', {});
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/^Error: FAILED: 1 failed, 1 passed \(node --test, \d+\.\d s\)\nCommand: npm test\n/);
    expect(result.output).toContain('1. add adds (math.test.js:6)\n   Expected values to be strictly equal:\n   -1 !== 5');
    expect(result.details).toMatchObject({ status: 'FAILED', runner: 'node --test', passed: 1, failed: 1, countsFrom: 'report' });
    // The report went to /tmp, not into the project.
    expect(readdirSync(root).sort()).toEqual(['math.js', 'math.test.js', 'package.json']);
  });

  it('vitest: reports the failing test with its assertion message from its console output', async () => {
    const root = vitestProject({
      'math.test.js':
        "import { describe, expect, test } from 'vitest';\n\ndescribe('math', () => {\n  test('adds', () => {\n    expect(2 - 3).toBe(5);\n  });\n  test('keeps zero', () => {\n    expect(0).toBe(0);\n  });\n});\n",
    });
    const { call } = await toolHarness(root, { tools });
    const result = await call('run_tests', {});
    expect(result.output).toMatch(/^Error: FAILED: 1 failed, 1 passed \(vitest, /);
    expect(result.output).toContain('1. math > adds (math.test.js:5)\n   AssertionError: expected -1 to be 5 // Object.is equality');
    expect(result.output).not.toContain('Output'); // the report said it all
    expect(readdirSync(root).sort()).toEqual(['math.test.js', 'node_modules', 'package.json']);
  });

  it('a passing run says PASSED with the counts and is not an error', async () => {
    const files = { ...NODE_PROJECT, 'math.js': 'export function add(a, b) {\n  return a + b;\n}\n' };
    const { call } = await toolHarness(project(files), { tools });
    const result = await call('run_tests', {});
    expect(result.ok).toBe(true);
    expect(result.output).toMatch(/^PASSED: 2 passed \(node --test, \d+\.\d s\)\nCommand: npm test$/);
  });

  it('filter runs only the matching tests', async () => {
    const { call } = await toolHarness(project(NODE_PROJECT), { tools });
    const result = await call('run_tests', { filter: 'keeps zero' });
    expect(result.output).toMatch(/^PASSED: 1 passed, 1 skipped \(node --test/);
    expect(result.output).toContain("Command: node --test --test-name-pattern='keeps zero'");
  });

  it('kills tests at timeout_seconds and says TIMED OUT with the end of the output', async () => {
    const files = {
      'package.json': JSON.stringify({ type: 'module', scripts: { test: 'node --test' } }),
      'slow.test.js': "import { test } from 'node:test';\n\ntest('hangs', async () => {\n  console.log('started waiting');\n  await new Promise((r) => setTimeout(r, 60_000));\n});\n",
    };
    const { call } = await toolHarness(project(files), { tools });
    const started = Date.now();
    const result = await call('run_tests', { timeout_seconds: 1 });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/^Error: TIMED OUT: killed after 1 s/);
    expect(result.output).toContain('started waiting');
    expect(result.details).toMatchObject({ status: 'TIMED OUT', timedOut: true });
  });

  it('falls back to the exit code and console counts when the report is larger than the output cap', async () => {
    const many = Array.from({ length: 150 }, (_, i) => `test('case ${i} with a long name to make the report big', () => {});`).join('\n');
    const files = { 'package.json': JSON.stringify({ type: 'module', scripts: { test: 'node --test' } }), 'many.test.js': `import { test } from 'node:test';\n${many}\n` };
    const harness = await toolHarness(project(files), { tools });
    harness.ctx.limits = { ...harness.ctx.limits, execOutputBytes: 8 * 1024 };
    const result = await harness.call('run_tests', {});
    expect(result.output).toMatch(/^PASSED: 150 passed \(node --test/);
    expect(result.output).toMatch(/Note: the runner's report \(\d+ bytes\) is larger than the output cap allows; counts come from the console output/);
    expect(result.details).toMatchObject({ countsFrom: 'console' });
  });

  it('a file that does not load is an error with the output shown', async () => {
    const files = { ...NODE_PROJECT, 'broken.test.js': 'import { test } from "node:test";\nconst x = ;\n' };
    const { call } = await toolHarness(project(files), { tools });
    const result = await call('run_tests', {});
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/^Error: FAILED: 1 failed, 1 passed \(node --test/);
    expect(result.output).toMatch(/Errors outside tests:\n- broken\.test\.js: file:\/\/\/.*broken\.test\.js:2\n {2}const x = ;\n[\s\S]*SyntaxError: Unexpected token/);
  });

  it('without any test setup, asks for command; with command, runs it and reads its output', async () => {
    const root = project({ 'README.md': 'nothing here\n' });
    const { call } = await toolHarness(root, { tools });
    const missing = await call('run_tests', {});
    expect(missing.output).toMatch(/^Error: no test setup found in .*Pass `command`/);
    const custom = await call('run_tests', { command: "printf 'Tests:       1 failed, 3 passed, 4 total\\n'; exit 1" });
    expect(custom.output).toMatch(/^Error: FAILED: 1 failed, 3 passed \(custom command/);
    expect(custom.output).toContain('Output:\nTests:       1 failed, 3 passed, 4 total');
  });

  it('pytest: reads the console output of a real run, run with no flag of sprout\'s', async () => {
    const files = { 'test_math.py': 'def add(a, b):\n    return a - b\n\ndef test_add():\n    assert add(2, 3) == 5\n\ndef test_zero():\n    assert add(0, 0) == 0\n' };
    const root = project(files);
    const { call } = await toolHarness(root, { tools });
    const result = await call('run_tests', { timeout_seconds: 20 });
    expect(result.output).toMatch(/^Error: FAILED: 1 failed, 1 passed \(pytest, /);
    expect(result.output).toContain('1. test_math.py::test_add (test_math.py:5)\n   assert -1 == 5');
    expect(result.output).toContain('Command: python3 -m pytest\n');
    // No report file in the project.
    expect(readdirSync(root).filter((name) => /\.xml$/.test(name))).toEqual([]);
  });
});

describe('run_tests in the bubblewrap sandbox', () => {
  it('node --test: reads the report that was written to the per-call /tmp', async () => {
    const root = project(NODE_PROJECT);
    const sandbox = await createBwrapSandbox({ root });
    opened.push(sandbox);
    const { call } = await toolHarness(root, { tools, sandbox });
    const result = await call('run_tests', {});
    expect(result.output).toMatch(/^Error: FAILED: 1 failed, 1 passed \(node --test, /);
    expect(result.output).toContain('1. add adds (math.test.js:6)\n   Expected values to be strictly equal:\n   -1 !== 5');
  });
});
