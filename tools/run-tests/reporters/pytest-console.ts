// Reading a pytest run from its console output: the closing `== 1 failed, 3 passed, 1 xfailed in
// 0.5s ==` line (without the rules under -q), the short summary's `FAILED nodeid - message` lines,
// and the `path.py:12: AssertionError` line that ends each failure's traceback section.
import { countsOf } from './counts.js';
import { firstLines, type TestFailure, type TestReport } from './types.js';

const SUMMARY = /^(?:=+ )?((?:\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?|rerun)(?:, )?)+) in [\d.]+s(?: \([^)]*\))?(?: =+)?\s*$/gm;

/** Counts and failures, or undefined without pytest's closing line. */
export function readPytest(text: string): TestReport | undefined {
  const last = [...text.matchAll(SUMMARY)].at(-1);
  if (!last) return undefined;
  const counts = countsOf(last[1] ?? '');
  const failures = summaryFailures(text);
  return { ...counts, failed: Math.max(counts.failed, failures.length), failures, errors: [] };
}

/** The short test summary: "FAILED tests/test_x.py::test_y - AssertionError: ...". */
function summaryFailures(text: string): TestFailure[] {
  return [...text.matchAll(/^(FAILED|ERROR) (\S+::\S+)(?: - (.*))?$/gm)].map((m) => {
    const id = m[2] ?? '';
    const file = id.split('::')[0];
    return {
      name: m[1] === 'ERROR' ? `${id} (error outside the test body)` : id,
      file,
      line: tracebackLine(text, id, file ?? ''),
      message: firstLines(m[3] ?? '') || '(no message)',
    };
  });
}

/** The last `file.py:N:` line of the test's own `____ test_name ____` section. */
function tracebackLine(text: string, id: string, file: string): number | undefined {
  const title = id.split('::').slice(1).join('.');
  const at = text.indexOf(` ${title} _`);
  if (at < 0) return undefined;
  const end = text.slice(at).search(/\n_{3,} |\n=+ /);
  const section = text.slice(at, end < 0 ? undefined : at + end);
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const line = [...section.matchAll(new RegExp(`^${escaped}:(\\d+): `, 'gm'))].at(-1);
  return line ? Number(line[1]) : undefined;
}
