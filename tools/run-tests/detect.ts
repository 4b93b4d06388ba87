// Finding how a project runs its tests, from the files in its working directory: a package.json test
// script first (it is what the project's own people run), then runner config files, then the
// conventions of Python, Go, Rust and make. Reads files only through the sandbox.
import type { Sandbox } from '../../sandbox/types.js';
import { ToolError } from '../define-tool.js';

/** The test runners run_tests knows; `npm` is a test script of an unknown runner, `custom` a command the model gave. */
export type RunnerKind =
  | 'vitest' | 'jest' | 'mocha' | 'node' | 'tape' | 'tap' | 'ava' | 'uvu' | 'pytest' | 'go' | 'cargo' | 'make' | 'npm' | 'custom';

/** How the tests of a project are run. */
export interface TestSetup {
  runner: RunnerKind;
  /** The command as a person would type it, e.g. `npm test` or `go test ./...`. */
  command: string;
  /** What it was found from, for the model: "package.json scripts.test", "go.mod"... */
  source: string;
  /** The text of package.json's test script, when the setup is one. */
  script?: string;
}

/** What detection looks for, in order; said in the error when nothing is found. */
export const LOOKED_FOR =
  'package.json scripts.test; vitest.config.* or jest.config.* (or a "jest" key in package.json); ' +
  'pytest (pytest.ini, [tool.pytest...] in pyproject.toml, [tool:pytest] in setup.cfg, [pytest] in tox.ini, ' +
  'conftest.py, test_*.py or *_test.py at the top or in tests/); go.mod; Cargo.toml; a Makefile with a test: target';

// npm init writes this placeholder; it means "no tests", not a runner.
const NPM_PLACEHOLDER = /no test specified/;

/** The runner a command line uses, judged from its words; undefined when none is recognised. */
export function runnerOfCommand(command: string): RunnerKind | undefined {
  if (/\bvitest\b/.test(command)) return 'vitest';
  if (/\bjest\b/.test(command)) return 'jest';
  if (/\bmocha\b/.test(command)) return 'mocha';
  if (/\bava\b/.test(command)) return 'ava';
  if (/\buvu\b/.test(command)) return 'uvu';
  if (/\btape\b/.test(command)) return 'tape';
  if (/(^|[\s;&|(])tap\b(?![-.])/.test(command)) return 'tap';
  if (/(^|[\s;&|(])node\b[^;&|]*\s--test\b/.test(command)) return 'node';
  if (/\bpytest\b/.test(command)) return 'pytest';
  if (/\bgo\s+test\b/.test(command)) return 'go';
  if (/\bcargo\s+test\b/.test(command)) return 'cargo';
  return undefined;
}

/** Find the project's test setup; throws a ToolError naming what was looked for when there is none. */
export async function detectTestSetup(sandbox: Sandbox): Promise<TestSetup> {
  const pkg = await readPackageJson(sandbox);
  const found =
    packageScriptSetup(pkg) ??
    (await jsConfigSetup(sandbox, pkg)) ??
    (await pytestSetup(sandbox)) ??
    (await markerSetup(sandbox, 'go.mod', 'go', 'go test ./...')) ??
    (await markerSetup(sandbox, 'Cargo.toml', 'cargo', 'cargo test')) ??
    (await makeSetup(sandbox));
  if (found) return found;
  throw new ToolError(
    `no test setup found in ${sandbox.root}. Looked for: ${LOOKED_FOR}. ` +
      'Pass `command` with the command that runs this project\'s tests (e.g. "npm run test:unit" or "python -m unittest").',
  );
}

/** package.json as an object, or undefined when it is missing or not valid JSON. */
export async function readPackageJson(sandbox: Sandbox): Promise<Record<string, unknown> | undefined> {
  const text = await readText(sandbox, 'package.json');
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // a broken package.json is the project's to fix; the other markers may still apply
  }
}

/** The `npm test` setup of a package.json whose scripts.test is a real command. */
export function packageScriptSetup(pkg: Record<string, unknown> | undefined): TestSetup | undefined {
  const scripts = pkg?.scripts as Record<string, unknown> | undefined;
  const script = typeof scripts?.test === 'string' ? scripts.test.trim() : '';
  if (script === '' || NPM_PLACEHOLDER.test(script)) return undefined;
  return { runner: runnerOfCommand(script) ?? 'npm', command: 'npm test', source: 'package.json scripts.test', script };
}

const CONFIG_EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'];

async function jsConfigSetup(sandbox: Sandbox, pkg: Record<string, unknown> | undefined): Promise<TestSetup | undefined> {
  for (const ext of CONFIG_EXTENSIONS) {
    const name = `vitest.config.${ext}`;
    if (await sandbox.exists(name)) return { runner: 'vitest', command: 'npx --no vitest run', source: name };
  }
  for (const ext of [...CONFIG_EXTENSIONS, 'json']) {
    const name = `jest.config.${ext}`;
    if (await sandbox.exists(name)) return { runner: 'jest', command: 'npx --no jest', source: name };
  }
  if (pkg && typeof pkg.jest === 'object') return { runner: 'jest', command: 'npx --no jest', source: 'the "jest" key of package.json' };
  return undefined;
}

async function pytestSetup(sandbox: Sandbox): Promise<TestSetup | undefined> {
  const source = await pytestMarker(sandbox);
  if (!source) return undefined;
  // A project virtualenv has the project's pytest and dependencies; the PATH's python may have neither.
  let python = 'python3';
  for (const venv of ['.venv', 'venv']) {
    if (await sandbox.exists(`${venv}/bin/python`)) {
      python = `${venv}/bin/python`;
      break;
    }
  }
  return { runner: 'pytest', command: `${python} -m pytest`, source };
}

async function pytestMarker(sandbox: Sandbox): Promise<string | undefined> {
  if (await sandbox.exists('pytest.ini')) return 'pytest.ini';
  const sections: [string, RegExp][] = [
    ['pyproject.toml', /^\[tool\.pytest/m],
    ['setup.cfg', /^\[tool:pytest\]/m],
    ['tox.ini', /^\[pytest\]/m],
  ];
  for (const [file, section] of sections) {
    if (section.test((await readText(sandbox, file)) ?? '')) return file;
  }
  if (await sandbox.exists('conftest.py')) return 'conftest.py';
  for (const dir of ['.', 'tests', 'test']) {
    const entries = await sandbox.listDir(dir).catch(() => []);
    const testFile = entries.find((e) => e.type === 'file' && /^(test_.*|.*_test)\.py$/.test(e.name));
    if (testFile) return dir === '.' ? testFile.name : `${dir}/${testFile.name}`;
  }
  return undefined;
}

async function markerSetup(sandbox: Sandbox, file: string, runner: RunnerKind, command: string): Promise<TestSetup | undefined> {
  return (await sandbox.exists(file)) ? { runner, command, source: file } : undefined;
}

async function makeSetup(sandbox: Sandbox): Promise<TestSetup | undefined> {
  for (const name of ['GNUmakefile', 'makefile', 'Makefile']) {
    const text = await readText(sandbox, name);
    if (text !== undefined && /^test\s*:(?!=)/m.test(text)) return { runner: 'make', command: 'make test', source: `${name} test: target` };
  }
  return undefined;
}

async function readText(sandbox: Sandbox, path: string): Promise<string | undefined> {
  const info = await sandbox.stat(path);
  if (info?.type !== 'file') return undefined;
  return (await sandbox.readFile(path)).toString('utf8');
}
