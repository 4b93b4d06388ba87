// Turning a test setup plus the model's path/filter into the shell snippet that runs it with a
// machine-readable reporter writing to "$SPROUT_REPORT" (set by the wrapper, in the sandbox's /tmp).
// Reporter flags are added where they cannot change which tests run; the runner's own console output
// still goes to the log, as the fallback when the report is missing.
import { runnerOfCommand, type RunnerKind, type TestSetup } from './detect.js';

/** How the report file is to be read. */
export type ReportFormat = 'jest-json' | 'tap' | 'junit' | 'go-json' | 'text';

/** What to run and how to read its result. */
export interface Invocation {
  /** Bash snippet; may refer to "$SPROUT_REPORT". */
  run: string;
  format: ReportFormat;
  /** The command as a person would type it to get the same tests (no reporter flags), for the model. */
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

const NODE_REPORTERS =
  'NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--test-reporter=spec --test-reporter-destination=stdout ' +
  '--test-reporter=tap --test-reporter-destination=$SPROUT_REPORT"';

/** Build the invocation of a detected setup. */
export function buildInvocation(setup: TestSetup, subset: Subset): Invocation {
  switch (setup.runner) {
    case 'vitest':
      return viaScript(setup, subsetArgs(subset, '-t'), '--reporter=default --reporter=json --outputFile.json="$SPROUT_REPORT" --includeTaskLocation', 'jest-json');
    case 'jest':
      return viaScript(setup, subsetArgs(subset, '-t'), '--ci --json --outputFile="$SPROUT_REPORT" --testLocationInResults', 'jest-json');
    case 'mocha':
      return viaScript(setup, subsetArgs(subset, '--grep'), '', 'text');
    case 'node':
      return nodeInvocation(setup, subset);
    case 'pytest': {
      const args = subsetArgs(subset, '-k');
      const display = join(setup.command, ...args);
      // No cache dir: the run should not leave .pytest_cache in the user's tree.
      const run = join(setup.command, '-p no:cacheprovider -o junit_family=xunit1 --junitxml="$SPROUT_REPORT"', ...args);
      return { run, format: 'junit', display, notes: [] };
    }
    case 'go':
      return goInvocation(subset);
    case 'cargo':
      return cargoInvocation(subset);
    default:
      return plainInvocation(setup, subset);
  }
}

/** `--filter-flag pattern` and the path, as a runner that takes both after its options wants them. */
function subsetArgs(subset: Subset, filterFlag: string): string[] {
  const args: string[] = [];
  if (subset.path) args.push(shQuote(subset.path));
  if (subset.filter) args.push(filterFlag, shQuote(subset.filter));
  return args;
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' ');
}

/** Run through the test script (or the config's npx command), extra words after `--` for npm. */
function viaScript(setup: TestSetup, args: string[], reporter: string, format: ReportFormat): Invocation {
  const viaNpm = setup.command === 'npm test';
  const base = viaNpm ? 'npm test --silent --' : setup.command;
  const display = args.length > 0 ? join(viaNpm ? 'npm test --' : setup.command, ...args) : setup.command;
  return { run: join(base, reporter, ...args), format, display, notes: [] };
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
  const direct = setup.script ? rewriteNodeScript(setup.script, extra, path) : undefined;
  if (direct) return { run: `${NODE_REPORTERS} ${direct}`, format: 'tap', display: direct, notes: [] };
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
  if (runner === 'npm' && subset.path) {
    notes.push(`path was appended to the test script (${JSON.stringify(setup.script)}), whose runner is not one run_tests knows`);
    const run = join('npm test --silent --', shQuote(subset.path));
    if (subset.filter) notes.push('filter was not used: the runner is unknown; pass `command` to select tests by name');
    return { run, format: 'text', display: join('npm test --', shQuote(subset.path)), notes };
  }
  if (subset.path || subset.filter) {
    const why = runner === 'custom' ? 'put the selection in `command` itself' : `${setup.command} takes no file or name; pass \`command\` to select tests`;
    notes.push(`path/filter were not used: ${why}`);
  }
  return { run: runner === 'npm' ? 'npm test --silent' : setup.command, format: 'text', display: setup.command, notes };
}

// A single command, with nothing a reporter flag appended at its end could land in the wrong place of.
const SIMPLE_COMMAND = /^[^;&|<>`$()\n]+$/;
const SCRIPT_RUN = /^(npm|pnpm|yarn)\s+(run\s+|run-script\s+)?(test|t)(\s|$)/;

/**
 * The model's own command. Reporter flags are added only to a single command whose runner is known
 * (by its words, or `npm test` by package.json's script); anything else is run as given and read from
 * its console output. Also says which runner that is (`custom` when none is known).
 */
export function customInvocation(command: string, scriptRunner: RunnerKind | undefined): Invocation & { runner: RunnerKind } {
  const trimmed = command.trim();
  const runner = runnerOfCommand(trimmed) ?? (SCRIPT_RUN.test(trimmed) ? scriptRunner : undefined) ?? 'custom';
  const plain = { run: trimmed, format: 'text' as ReportFormat, display: trimmed, notes: [], runner };
  // NODE_OPTIONS changes no argument, so it is safe even in a compound command.
  if (runner === 'node') return { ...plain, run: `${NODE_REPORTERS} ${trimmed}`, format: 'tap' };
  if (!SIMPLE_COMMAND.test(trimmed)) return plain;
  const dashes = /^npm\s/.test(trimmed) && !/\s--(\s|$)/.test(trimmed) ? '--' : '';
  if (runner === 'vitest') return { ...plain, run: join(trimmed, dashes, '--reporter=default --reporter=json --outputFile.json="$SPROUT_REPORT" --includeTaskLocation'), format: 'jest-json' };
  if (runner === 'jest') return { ...plain, run: join(trimmed, dashes, '--json --outputFile="$SPROUT_REPORT" --testLocationInResults'), format: 'jest-json' };
  if (runner === 'pytest') return { ...plain, run: join(trimmed, dashes, '-o junit_family=xunit1 --junitxml="$SPROUT_REPORT"'), format: 'junit' };
  if (runner === 'go' && /^go\s+test\b/.test(trimmed)) {
    return { ...plain, run: `${trimmed.replace(/^go\s+test\b/, 'go test -json')} > "$SPROUT_REPORT"`, format: 'go-json' };
  }
  return plain;
}
