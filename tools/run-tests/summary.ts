// The model-facing text of a test run: a verdict line with the counts, each failing test with its
// location and the first lines of its message, and the end of the console output only when the
// counts cannot tell the story (nothing parsed, errors outside tests, a timeout, a puzzling exit code).
import { stripAnsi } from '../text/ansi.js';
import type { TestReport } from './reporters/types.js';

/** The verdict of a run. */
export type RunStatus = 'PASSED' | 'FAILED' | 'ERROR' | 'TIMED OUT' | 'INTERRUPTED' | 'NO TESTS RAN';

/** Everything the summary is made from. */
export interface RunFacts {
  /** Short runner label for the verdict line, e.g. "vitest" or "make test". */
  label: string;
  /** The command as a person would run it. */
  display: string;
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
  timeoutMs: number;
  durationMs: number;
  /** Undefined when neither the report nor the console output could be read. */
  report?: TestReport;
  /** True when a machine-readable report was expected (so its absence is itself a problem). */
  reportExpected: boolean;
  /** Why the report was not used, if it was not. */
  reportProblem?: string;
  notes: string[];
  /** The end of the console output. */
  log: string;
}

const MAX_FAILURES = 15;
// The tail is the whole story when nothing could be parsed, and context when failures are itemised.
const TAIL_LINES = { unparsed: 40, parsed: 20 };
const TAIL_CHARS = 4000;
// Runners announce where they wrote the report; that file is gone by now, so the line only misleads.
const REPORT_NOTICE = /sprout-tests\.[A-Za-z0-9]+\/report/;
// What a failing line looks like across runners, how many lines after one are kept, and the most shown.
const FAILING = {
  pattern: /^\s*(not ok\b|FAIL(ED)?\b|✗|✘|×|✖|Traceback \(most recent call last\)|E\s{2,}\S|[\w.]*(Error|Exception)\b:|panicked at|--- FAIL)/,
  context: 4,
  lines: 40,
};
// Stack frames in the runner's or Node's own code: they say nothing about the project and fill the tail.
const FOREIGN_FRAME = /^\s*at .*(node:|node_modules|<anonymous>)/;

/** Decide the verdict from exit code, timeout and counts. */
export function statusOf(facts: RunFacts): RunStatus {
  const r = facts.report;
  if (facts.aborted) return 'INTERRUPTED';
  if (facts.timedOut) return 'TIMED OUT';
  if (r && r.failed > 0) return 'FAILED';
  if (facts.exitCode !== 0) {
    // Without a report and with a runner that only has console output, a non-zero exit is a failed test run.
    return !r && !facts.reportExpected ? 'FAILED' : 'ERROR';
  }
  if (r && r.errors.length > 0) return 'ERROR';
  // Exit 0 with nothing executed proves nothing: the command is wrong or finds no test files.
  if (r && r.passed + r.failed + (r.xfailed ?? 0) + (r.xpassed ?? 0) === 0) return 'NO TESTS RAN';
  return 'PASSED';
}

/** The verdict line, e.g. `FAILED: 1 failed, 12 passed, 2 skipped (vitest, 3.1 s)`. */
export function verdictLine(status: RunStatus, facts: RunFacts): string {
  const r = facts.report;
  const counts = r ? countsText(r) : undefined;
  const seconds = `${(facts.durationMs / 1000).toFixed(1)} s`;
  let what: string;
  if (status === 'TIMED OUT') {
    what = `killed after ${Math.round(facts.timeoutMs / 1000)} s${counts ? `; before that: ${counts}` : ''}`;
  } else if (status === 'INTERRUPTED') {
    what = 'the run was interrupted';
  } else if (status === 'ERROR') {
    const errors = r && r.errors.length > 0 ? `${r.errors.length} error${r.errors.length === 1 ? '' : 's'} outside tests` : `exit code ${facts.exitCode}`;
    what = `${errors}${counts ? `; ${counts}` : facts.reportExpected ? ', no test report' : ''}`;
  } else {
    what = counts ?? `exit code ${facts.exitCode}; no test counts could be read`;
  }
  return `${status}: ${what} (${facts.label}, ${seconds})`;
}

function countsText(r: TestReport): string {
  const parts = r.failed > 0 ? [`${r.failed} failed`] : [];
  parts.push(`${r.passed} passed`);
  if (r.xpassed) parts.push(`${r.xpassed} xpassed (passed although marked xfail)`);
  if (r.xfailed) parts.push(`${r.xfailed} xfailed (failed as expected)`);
  if (r.skipped > 0) parts.push(`${r.skipped} skipped`);
  return parts.join(', ');
}

/** The whole model-facing text. */
export function formatRun(facts: RunFacts): { status: RunStatus; text: string } {
  const status = statusOf(facts);
  const out = [verdictLine(status, facts), `Command: ${facts.display}`];
  for (const note of facts.notes) out.push(`Note: ${note}`);
  if (facts.reportProblem) out.push(`Note: ${facts.reportProblem}`);
  if (status === 'NO TESTS RAN') out.push('Note: no test ran; check `path` and `filter`, or that the runner finds the test files.');
  const r = facts.report;
  if (r && r.failures.length > 0) out.push('', ...failureLines(r));
  if (r && r.errors.length > 0) out.push('', 'Errors outside tests:', ...r.errors.map((e) => `- ${indent(e, '  ').trimStart()}`));
  // Without itemised failures the failing lines may sit far above the tail: show them first.
  if (!r || r.failed > r.failures.length) {
    const failing = failingLines(facts.log);
    if (failing.length > 0) out.push('', 'Failing lines:', ...failing);
  }
  if (wantsTail(status, facts)) out.push('', ...tailLines(facts.log, r ? TAIL_LINES.parsed : TAIL_LINES.unparsed));
  return { status, text: out.join('\n') };
}

function failureLines(r: TestReport): string[] {
  const lines = ['Failing tests:'];
  r.failures.slice(0, MAX_FAILURES).forEach((f, i) => {
    const where = f.file ? ` (${f.file}${f.line !== undefined ? `:${f.line}` : ''})` : '';
    lines.push(`${i + 1}. ${f.name}${where}`, indent(f.message, '   '));
  });
  if (r.failures.length > MAX_FAILURES) lines.push(`... and ${r.failures.length - MAX_FAILURES} more failing tests`);
  return lines;
}

function wantsTail(status: RunStatus, facts: RunFacts): boolean {
  const r = facts.report;
  if (!r || status === 'ERROR' || status === 'TIMED OUT' || status === 'INTERRUPTED' || status === 'NO TESTS RAN') return true;
  // Errors outside tests (a compile error) have context around them; failures counted but not
  // itemised (a console summary only) are only in the output.
  return r.errors.length > 0 || r.failed > r.failures.length;
}

/** Lines of the log that say something failed (`not ok`, `FAIL`, `✗`, a traceback), each with a little context. */
export function failingLines(log: string): string[] {
  const lines = stripAnsi(log).split('\n');
  const shown: string[] = [];
  let until = -1;
  for (let i = 0; i < lines.length && shown.length < FAILING.lines; i++) {
    const line = lines[i] ?? '';
    if (FAILING.pattern.test(line)) until = i + FAILING.context;
    if (i <= until && line.trim() !== '' && !FOREIGN_FRAME.test(line)) shown.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
  }
  return shown;
}

function tailLines(log: string, maxLines: number): string[] {
  const all = log
    .split('\n')
    .filter((line) => !REPORT_NOTICE.test(line) && !FOREIGN_FRAME.test(line))
    .join('\n')
    .replace(/^\s*\n|\s+$/g, '')
    .split('\n');
  let lines = all.slice(-maxLines);
  while (lines.join('\n').length > TAIL_CHARS && lines.length > 1) lines = lines.slice(1);
  const text = lines.join('\n');
  const cut = text.length > TAIL_CHARS ? `…${text.slice(-TAIL_CHARS)}` : text;
  if (cut.trim() === '') return ['(the tests printed nothing)'];
  const shown = lines.length < all.length ? `Output (last ${lines.length} lines):` : 'Output:';
  return [shown, cut];
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((line) => `${pad}${line}`)
    .join('\n');
}
