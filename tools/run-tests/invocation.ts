// Turning a test setup plus the model's path/filter into the shell snippet that runs it. The program
// under test must see the argv, environment and config its own CI gives it, so no reporter flag is
// ever added: counts come from the runner's console output, or from a report the runner writes
// because of something the tests cannot tell apart from a plain run (node's reporters through
// NODE_OPTIONS, go's own test2json). The model's selection is passed to the runner itself, never
// appended to a script chain where it would land on the chain's last command.
import { runnerOfCommand, type RunnerKind, type TestSetup } from './detect.js';

/** How the report file is to be read; `text` means there is none and the console output is read. */
export type ReportFormat = 'tap' | 'go-json' | 'text';

/** What to run and how to read its result. */
export interface Invocation {
  /** Bash snippet; may refer to "$SPROUT_REPORT". */
  run: string;
  format: ReportFormat;
  /** The command as a person would type it to get the same tests, for the model. */
  display: string;
  /** Things the model should know, e.g. that `filter` had no effect. */
  notes: string[];
}

/** Which tests to run; both optional. */
export interface Subset {
  path?: string;
  filter?: string;
}

/** Quote a word for bash when it needs it. */
export function shQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

// node reads its test reporters from NODE_OPTIONS however the script starts it; the spec reporter
// keeps the console as a plain run prints it, the TAP copy goes to the report file.
const NODE_REPORTERS =
  'NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--test-reporter=spec --test-reporter-destination=stdout ' +
  '--test-reporter=tap --test-reporter-destination=$SPROUT_REPORT"';

/** The flag each runner selects tests by name with; undefined when it has none. */
const FILTER_FLAGS: Partial<Record<RunnerKind, string>> = {
  vitest: '-t', jest: '-t', mocha: '--grep', ava: '--match', tap: '--grep', pytest: '-k',
};

/** Build the invocation of a detected setup. */
export function buildInvocation(setup: TestSetup, subset: Subset): Invocation {
  switch (setup.runner) {
    case 'node':
      return nodeInvocation(setup, subset);
    case 'go':
      return goInvocation(subset);
    case 'cargo':
      return cargoInvocation(subset);
    case 'make':
    case 'npm':
    case 'custom':
      return plainInvocation(setup, subset);
    default:
      return runnerInvocation(setup, subset);
  }
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' ');
}

/** A JS or Python runner: the setup as it is, or with the subset given to the runner's own command. */
function runnerInvocation(setup: TestSetup, subset: Subset): Invocation {
  const notes: string[] = [];
  const args: string[] = [];
  if (subset.path) args.push(shQuote(subset.path));
  const flag = FILTER_FLAGS[setup.runner];
  if (subset.filter && flag) args.push(flag, shQuote(subset.filter));
  else if (subset.filter) notes.push(`filter was not used: ${setup.runner} selects no tests by name; pass \`path\` or \`command\``);
  const viaNpm = setup.command === 'npm test';
  if (args.length === 0) return { run: viaNpm ? 'npm test --silent' : setup.command, format: 'text', display: setup.command, notes };
  if (!viaNpm) return { run: join(setup.command, ...args), format: 'text', display: join(setup.command, ...args), notes };
  // After `--` npm appends to the script's last command: right for a single command only.
  if (SIMPLE_COMMAND.test(setup.script ?? '')) return { run: join('npm test --silent --', ...args), format: 'text', display: join('npm test --', ...args), notes };
  const own = runnerSegment(setup.script ?? '', setup.runner);
  if (own) {
    const display = join(own, ...args);
    return { run: `PATH="$PWD/node_modules/.bin:$PATH" ${display}`, format: 'text', display, notes };
  }
  notes.push(`path/filter were not used: the test script (${JSON.stringify(setup.script)}) runs ${setup.runner} in a way run_tests cannot add them to; pass \`command\``);
  return { run: 'npm test --silent', format: 'text', display: 'npm test', notes };
}

// A single command: nothing appended at its end can land on another command.
const SIMPLE_COMMAND = /^[^;&|<>`$()\n]+$/;

/** The one simple command of a script chain (`tsc && jest --coverage`) that runs `runner`. */
export function runnerSegment(script: string, runner: RunnerKind): string | undefined {
  const segments = script.split(/&&|\|\||;/).map((s) => s.trim());
  const own = segments.filter((s) => runnerOfCommand(s) === runner);
  return own.length === 1 && SIMPLE_COMMAND.test(own[0] ?? '') ? own[0] : undefined;
}

/**
 * node --test: the reporters go in NODE_OPTIONS, which reaches node however the script starts it.
 * A name pattern or file must be on node's own command line before any file, so a plain
 * `node ... --test ...` script is run directly with its files replaced; anything else gets them appended.
 */
function nodeInvocation(setup: TestSetup, subset: Subset): Invocation {
  const extra = subset.filter ? [`--test-name-pattern=${shQuote(subset.filter)}`] : [];
  const path = subset.path ? [shQuote(subset.path)] : [];
  if (extra.length + path.length === 0) {
    return { run: `${NODE_REPORTERS} ${setup.command === 'npm test' ? 'npm test --silent' : setup.command}`, format: 'tap', display: setup.command, notes: [] };
  }
  const script = setup.script ? (runnerSegment(setup.script, 'node') ?? setup.script) : undefined;
  const direct = script ? rewriteNodeScript(script, extra, path) : undefined;
  if (direct) return { run: `${NODE_REPORTERS} PATH="$PWD/node_modules/.bin:$PATH" ${direct}`, format: 'tap', display: direct, notes: [] };
  const run = join('npm test --silent --', ...extra, ...path);
  return { run: `${NODE_REPORTERS} ${run}`, format: 'tap', display: join('npm test --', ...extra, ...path), notes: [] };
}

// Options of node that take the next word as their value.
const NODE_VALUE_OPTIONS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C', '--env-file']);

/** `node [options] --test [files]` with the files swapped for `path`; undefined for any other script. */
export function rewriteNodeScript(script: string, extra: string[], path: string[]): string | undefined {
  if (/[;&|<>`$()]/.test(script)) return undefined;
  const words = script.trim().split(/\s+/);
  if (words[0] !== 'node' || (words.join(' ').match(/'/g)?.length ?? 0) % 2 !== 0) return undefined;
  const options: string[] = [];
  const files: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('-')) files.push(word);
    else {
      options.push(word);
      if (NODE_VALUE_OPTIONS.has(word) && i + 1 < words.length) options.push(words[++i] ?? '');
    }
  }
  return join('node', ...options, ...extra, ...(path.length > 0 ? path : files));
}

/** go test -json: go's own switch; the test binary gets the -test.v flag go always gives it under -v. */
function goInvocation(subset: Subset): Invocation {
  let pkgs = './...';
  if (subset.path) {
    const clean = subset.path.replace(/^\.\//, '').replace(/\/+$/, '');
    // A file names its package (the directory); a directory means it and the packages below it.
    pkgs = clean.endsWith('.go') ? `./${clean.includes('/') ? clean.slice(0, clean.lastIndexOf('/')) : '.'}` : `./${clean}/...`;
    pkgs = shQuote(pkgs.replace(/^\.\/\.$/, '.'));
  }
  const filter = subset.filter ? ['-run', shQuote(subset.filter)] : [];
  return { run: join('go test -json', pkgs, ...filter, '> "$SPROUT_REPORT"'), format: 'go-json', display: join('go test', pkgs, ...filter), notes: [] };
}

function cargoInvocation(subset: Subset): Invocation {
  const args: string[] = [];
  const notes: string[] = [];
  const target = subset.path ? /^(?:\.\/)?tests\/([\w-]+)\.rs$/.exec(subset.path) : null;
  if (target) args.push('--test', target[1] ?? '');
  else if (subset.path) notes.push(`path ${JSON.stringify(subset.path)} was not used: cargo test selects an integration test file by tests/NAME.rs only; use filter for a test name`);
  if (subset.filter) args.push(shQuote(subset.filter));
  const command = join('cargo test', ...args);
  return { run: command, format: 'text', display: command, notes };
}

/** make test, an unknown test script, or the model's own command: run as given, read the console. */
function plainInvocation(setup: TestSetup, subset: Subset): Invocation {
  const notes: string[] = [];
  const runner: RunnerKind = setup.runner;
  if (runner === 'npm' && subset.path && SIMPLE_COMMAND.test(setup.script ?? '')) {
    notes.push(`path was appended to the test script (${JSON.stringify(setup.script)}), whose runner is not one run_tests knows`);
    const run = join('npm test --silent --', shQuote(subset.path));
    if (subset.filter) notes.push('filter was not used: the runner is unknown; pass `command` to select tests by name');
    return { run, format: 'text', display: join('npm test --', shQuote(subset.path)), notes };
  }
  if (subset.path || subset.filter) {
    const why = runner === 'custom' ? 'put the selection in `command` itself' : `${setup.command} takes no file or name here; pass \`command\` to select tests`;
    notes.push(`path/filter were not used: ${why}`);
  }
  return { run: runner === 'npm' ? 'npm test --silent' : setup.command, format: 'text', display: setup.command, notes };
}

const SCRIPT_RUN = /^(npm|pnpm|yarn)\s+(run\s+|run-script\s+)?(test|t)(\s|$)/;

/**
 * The model's own command, run as given. Only node's reporters are added, through NODE_OPTIONS, and
 * go's -json to a single `go test`; everything else is read from its console output. Also says which
 * runner that is (`custom` when none is known).
 */
export function customInvocation(command: string, scriptRunner: RunnerKind | undefined): Invocation & { runner: RunnerKind } {
  const trimmed = command.trim();
  const runner = runnerOfCommand(trimmed) ?? (SCRIPT_RUN.test(trimmed) ? scriptRunner : undefined) ?? 'custom';
  const plain = { run: trimmed, format: 'text' as ReportFormat, display: trimmed, notes: [], runner };
  if (runner === 'node') return { ...plain, run: `${NODE_REPORTERS} ${trimmed}`, format: 'tap' };
  if (runner === 'go' && SIMPLE_COMMAND.test(trimmed) && /^go\s+test\b/.test(trimmed)) {
    return { ...plain, run: `${trimmed.replace(/^go\s+test\b/, 'go test -json')} > "$SPROUT_REPORT"`, format: 'go-json' };
  }
  return plain;
}
