// How run_tests finds a project's test command, and how it adds reporters and the model's subset to
// it: detection on real directories through a real host sandbox, invocations as plain strings.
import { describe, expect, it } from 'vitest';
import { createHostSandbox } from '../../sandbox/host.js';
import { ToolError } from '../../tools/define-tool.js';
import { detectTestSetup, runnerOfCommand } from '../../tools/run-tests/detect.js';
import { buildInvocation, customInvocation, rewriteNodeScript, runnerSegment } from '../../tools/run-tests/invocation.js';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';

const pkg = (test: string, extra: object = {}) => JSON.stringify({ name: 'p', scripts: { test }, ...extra });

async function detect(files: Record<string, string>) {
  const root = tempDir('sprout-detect-');
  writeFiles(root, files);
  const sandbox = await createHostSandbox({ root });
  try {
    return await detectTestSetup(sandbox);
  } finally {
    await sandbox.close();
  }
}

describe('run_tests detection', () => {
  it.each([
    ['a vitest script', { 'package.json': pkg('vitest run') }, 'vitest', 'npm test', 'package.json scripts.test'],
    ['a jest script after a build step', { 'package.json': pkg('tsc && jest --coverage') }, 'jest', 'npm test', 'package.json scripts.test'],
    ['a mocha script', { 'package.json': pkg('mocha "test/**/*.spec.js"') }, 'mocha', 'npm test', 'package.json scripts.test'],
    ['a node --test script', { 'package.json': pkg('node --import tsx --test test/') }, 'node', 'npm test', 'package.json scripts.test'],
    ['an ava script', { 'package.json': pkg('ava --verbose') }, 'ava', 'npm test', 'package.json scripts.test'],
    ['a tape script', { 'package.json': pkg('tape test/*.js') }, 'tape', 'npm test', 'package.json scripts.test'],
    ['a tap script', { 'package.json': pkg('tap') }, 'tap', 'npm test', 'package.json scripts.test'],
    ['a uvu script', { 'package.json': pkg('uvu tests') }, 'uvu', 'npm test', 'package.json scripts.test'],
    ['a script of an unknown runner', { 'package.json': pkg('./run-my-tests.sh') }, 'npm', 'npm test', 'package.json scripts.test'],
    ['a vitest config without a script', { 'package.json': '{"name":"p"}', 'vitest.config.ts': 'export default {}' }, 'vitest', 'npx --no vitest run', 'vitest.config.ts'],
    ['a jest config', { 'jest.config.js': 'module.exports = {}' }, 'jest', 'npx --no jest', 'jest.config.js'],
    ['a "jest" key in package.json', { 'package.json': '{"jest":{}}' }, 'jest', 'npx --no jest', 'the "jest" key of package.json'],
    ['pytest.ini', { 'pytest.ini': '[pytest]\n' }, 'pytest', 'python3 -m pytest', 'pytest.ini'],
    ['a [tool.pytest.ini_options] section', { 'pyproject.toml': '[project]\nname="p"\n\n[tool.pytest.ini_options]\n' }, 'pytest', 'python3 -m pytest', 'pyproject.toml'],
    ['conftest.py', { 'conftest.py': '' }, 'pytest', 'python3 -m pytest', 'conftest.py'],
    ['a test_*.py file in tests/', { 'tests/test_math.py': 'def test_x(): pass\n' }, 'pytest', 'python3 -m pytest', 'tests/test_math.py'],
    ['a project virtualenv', { 'pytest.ini': '', '.venv/bin/python': '' }, 'pytest', '.venv/bin/python -m pytest', 'pytest.ini'],
    ['go.mod', { 'go.mod': 'module example.com/m\n' }, 'go', 'go test ./...', 'go.mod'],
    ['Cargo.toml', { 'Cargo.toml': '[package]\nname = "m"\n' }, 'cargo', 'cargo test', 'Cargo.toml'],
    ['a Makefile with a test target', { Makefile: 'build:\n\tcc x.c\n\ntest: build\n\t./run-tests\n' }, 'make', 'make test', 'Makefile test: target'],
  ])('finds %s', async (_what, files, runner, command, source) => {
    expect(await detect(files)).toMatchObject({ runner, command, source });
  });

  it('prefers the package.json script to other markers, and skips npm init\'s placeholder script', async () => {
    expect(await detect({ 'package.json': pkg('vitest'), 'go.mod': 'module m\n' })).toMatchObject({ runner: 'vitest' });
    const placeholder = pkg('echo "Error: no test specified" && exit 1');
    expect(await detect({ 'package.json': placeholder, 'go.mod': 'module m\n' })).toMatchObject({ runner: 'go' });
  });

  it('does not take a pyproject.toml without pytest settings, or a Makefile without a test target, for a test setup', async () => {
    const attempt = detect({ 'pyproject.toml': '[project]\nname = "p"\n', Makefile: 'test-data:\n\ttrue\nTEST := 1\n', 'README.md': '' });
    await expect(attempt).rejects.toBeInstanceOf(ToolError);
  });

  it('says what it looked for and to pass command when nothing is found', async () => {
    const attempt = detect({ 'README.md': '# nothing to test\n' });
    await expect(attempt).rejects.toThrow(/no test setup found in .*Looked for: package\.json scripts\.test.*go\.mod; Cargo\.toml; a Makefile with a test: target\. Pass `command`/);
  });

  it.each([
    ['npx vitest run src', 'vitest'],
    ['node --test', 'node'],
    ['node --import tsx --test test/*.ts', 'node'],
    ['python -m pytest -x', 'pytest'],
    ['go test ./pkg/...', 'go'],
    ['cargo test --lib', 'cargo'],
    ['node scripts/build.js', undefined],
  ])('knows the runner of %j', (command, runner) => {
    expect(runnerOfCommand(command)).toBe(runner);
  });
});

describe('run_tests invocations', () => {
  const npmSetup = (runner: 'vitest' | 'jest' | 'node', script: string) => ({ runner, command: 'npm test', source: 'package.json scripts.test', script });

  it('vitest and jest run as the project runs them: no reporter flag, the subset after -- of a single-command script', () => {
    const vitest = buildInvocation(npmSetup('vitest', 'vitest run'), { path: 'src/a.test.ts', filter: 'adds two' });
    expect(vitest).toMatchObject({ format: 'text', run: "npm test --silent -- src/a.test.ts -t 'adds two'", display: "npm test -- src/a.test.ts -t 'adds two'" });
    expect(buildInvocation(npmSetup('jest', 'jest'), {})).toMatchObject({ format: 'text', display: 'npm test', run: 'npm test --silent' });
  });

  it('a chained script gets the subset on its runner\'s own command, never on the chain\'s last one', () => {
    const chained = buildInvocation(npmSetup('jest', 'jest --coverage && tsc --noEmit'), { path: 'a.test.js' });
    expect(chained).toMatchObject({ run: 'PATH="$PWD/node_modules/.bin:$PATH" jest --coverage a.test.js', display: 'jest --coverage a.test.js' });
    expect(runnerSegment('eslint . && vitest run; echo done', 'vitest')).toBe('vitest run');
  });

  it('node --test gets its reporters through NODE_OPTIONS, and a subset by rewriting a plain node script', () => {
    const all = buildInvocation(npmSetup('node', 'node --test test/'), {});
    expect(all.run).toMatch(/^NODE_OPTIONS=".*--test-reporter=tap --test-reporter-destination=\$SPROUT_REPORT" npm test --silent$/);
    const some = buildInvocation(npmSetup('node', 'node --import tsx --test test/'), { path: 'test/a.test.ts', filter: 'adds' });
    expect(some.display).toBe('node --import tsx --test --test-name-pattern=adds test/a.test.ts');
    expect(rewriteNodeScript('tsc && node --test', [], ['a.js'])).toBeUndefined();
  });

  it('pytest, go and cargo get the subset in their own flags', () => {
    const py = buildInvocation({ runner: 'pytest', command: 'python3 -m pytest', source: 'pytest.ini' }, { path: 'tests/test_a.py', filter: 'add' });
    expect(py.run).toBe('python3 -m pytest tests/test_a.py -k add');
    const go = buildInvocation({ runner: 'go', command: 'go test ./...', source: 'go.mod' }, { path: 'calc/calc_test.go', filter: 'TestAdd' });
    expect(go).toMatchObject({ run: 'go test -json ./calc -run TestAdd > "$SPROUT_REPORT"', display: 'go test ./calc -run TestAdd' });
    const cargo = buildInvocation({ runner: 'cargo', command: 'cargo test', source: 'Cargo.toml' }, { path: 'tests/api.rs', filter: 'adds' });
    expect(cargo.run).toBe('cargo test --test api adds');
  });

  it('make test ignores path and filter and says so', () => {
    const make = buildInvocation({ runner: 'make', command: 'make test', source: 'Makefile test: target' }, { filter: 'x' });
    expect(make).toMatchObject({ run: 'make test', format: 'text' });
    expect(make.notes[0]).toMatch(/path\/filter were not used: make test takes no file or name/);
  });

  it('a command of the model runs as given; only node gets its reporters, through NODE_OPTIONS', () => {
    expect(customInvocation('npx vitest run src', undefined)).toMatchObject({ format: 'text', run: 'npx vitest run src', runner: 'vitest' });
    expect(customInvocation('npm test', 'jest')).toMatchObject({ run: 'npm test', runner: 'jest' });
    expect(customInvocation('node --test a.js', undefined).run).toMatch(/^NODE_OPTIONS=".*" node --test a\.js$/);
    expect(customInvocation('make check', undefined).format).toBe('text');
  });
});
