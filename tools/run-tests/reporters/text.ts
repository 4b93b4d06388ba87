// Reading a test run from its plain console output, for runners without a machine-readable report
// here (mocha, cargo, `make test`, a command the model gave) and as the fallback when a report is
// missing or cut. Each runner prints a summary line of its own; the first one found gives the counts.
import { cargoFailures, goFailures, mochaFailures, pytestFailures } from './text-blocks.js';
import { stripAnsi, type ParseContext, type TestFailure, type TestReport } from './types.js';

type Counts = Pick<TestReport, 'passed' | 'failed' | 'skipped'>;

/** Words runners use in their summaries, by what they count. */
const WORDS: Record<string, keyof Counts> = {
  passed: 'passed', passing: 'passed', pass: 'passed', xpassed: 'passed',
  failed: 'failed', failing: 'failed', fail: 'failed', error: 'failed', errors: 'failed', cancelled: 'failed',
  skipped: 'skipped', pending: 'skipped', todo: 'skipped', ignored: 'skipped', xfailed: 'skipped',
};

/** Summary readers, most specific first; each returns undefined when its runner's line is absent. */
const SUMMARIES: ((text: string) => Counts | undefined)[] = [
  // cargo: one line per test binary, summed. "test result: FAILED. 1 passed; 2 failed; 1 ignored; ..."
  (text) => sumAll(text, /^test result: \w+\. (.*)$/gm),
  // pytest: "===== 2 failed, 1 passed, 1 skipped in 0.55s ====="
  (text) => lastLine(text, /^=+ (.*?\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed).*?) in [\d.]+s(?: \([^)]*\))? =+$/gm),
  // jest: "Tests:       2 failed, 1 skipped, 1 todo, 1 passed, 5 total"
  (text) => lastLine(text, /^Tests:\s+(.*?)\d+ total/gm),
  // vitest: "      Tests  2 failed | 1 passed | 1 skipped (4)"
  (text) => lastLine(text, /^\s*Tests\s+(\d+ \w+(?: \| \d+ \w+)*) \(\d+\)\s*$/gm),
  // mocha: "  1 passing (3ms)", "  2 failing", "  1 pending", on lines of their own
  (text) => sumAll(text, /^\s*(\d+ (?:passing|failing|pending))\b/gm),
  // node --test, spec ("ℹ pass 1") or TAP ("# pass 1") reporter: the last of each total wins
  (text) => nodeTotals(text),
];

/** Counts and failures read from console output, or undefined when no summary line is recognised. */
export function parseText(output: string, ctx: ParseContext): TestReport | undefined {
  const text = stripAnsi(output);
  const failures: TestFailure[] = [
    ...cargoFailures(text),
    ...mochaFailures(text, ctx),
    ...pytestFailures(text),
    ...goFailures(text),
  ];
  let counts: Counts | undefined;
  for (const read of SUMMARIES) {
    counts = read(text);
    if (counts) break;
  }
  // Go prints no totals, only a "--- FAIL" line per failing test (and "--- PASS" with -v).
  counts ??= goCounts(text);
  if (!counts) return undefined;
  return { ...counts, failed: Math.max(counts.failed, failures.length), failures, errors: [] };
}

/** Add up "2 failed, 1 passed"-style pairs of a summary into `into`. */
function tally(summary: string, into: Counts = { passed: 0, failed: 0, skipped: 0 }): Counts {
  for (const [, count, word = ''] of summary.matchAll(/(\d+) (\w+)/g)) {
    const kind = WORDS[word.toLowerCase()];
    if (kind) into[kind] += Number(count);
  }
  return into;
}

function sumAll(text: string, line: RegExp): Counts | undefined {
  const lines = [...text.matchAll(line)];
  if (lines.length === 0) return undefined;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const match of lines) tally(match[1] ?? '', counts);
  return counts;
}

function lastLine(text: string, line: RegExp): Counts | undefined {
  const last = [...text.matchAll(line)].at(-1);
  return last ? tally(last[1] ?? '') : undefined;
}

function nodeTotals(text: string): Counts | undefined {
  const totals = new Map<string, string>();
  for (const m of text.matchAll(/^(?:ℹ|#) (pass|fail|skipped|todo|cancelled) (\d+)\s*$/gm)) totals.set(m[1] ?? '', m[2] ?? '0');
  if (!totals.has('pass') || !totals.has('fail')) return undefined;
  return tally([...totals].map(([word, n]) => `${n} ${word}`).join(', '));
}

function goCounts(text: string): Counts | undefined {
  const results = [...text.matchAll(/^\s*--- (FAIL|PASS|SKIP): (\S+)/gm)];
  if (results.length === 0) return undefined;
  const names = results.map((m) => m[2] ?? '');
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const [, status, name = ''] of results) {
    // Parents repeat their subtests' outcome; only leaves are tests of their own.
    if (names.some((n) => n.startsWith(`${name}/`))) continue;
    counts[status === 'FAIL' ? 'failed' : status === 'PASS' ? 'passed' : 'skipped']++;
  }
  return counts;
}
