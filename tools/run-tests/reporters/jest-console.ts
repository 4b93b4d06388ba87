// Reading a jest run from its console output (what `jest` prints with no reporter flag): a
// `PASS`/`FAIL file` line per file, a `● suite › test` block per failure, and the closing
// `Tests: 1 failed, 3 passed, 4 total` line. jest repeats the blocks under "Summary of all failing
// tests" when several files ran; each failure is kept once.
import { countsOf, type Counts } from './counts.js';
import { firstLines, type TestFailure, type TestReport } from './types.js';

const SUMMARY = /^Tests:\s+(.*?)\d+ total\s*$/gm;
const FILE = /^(PASS|FAIL)\s+(\S+)/;
const BLOCK = /^ {2}● (.+)$/;
// Blocks jest prints that are not failing tests.
const NOT_A_TEST = /^(Console|Test suite failed to run)$/;

/** Counts and failures, or undefined without jest's summary line. */
export function readJest(text: string): TestReport | undefined {
  const last = [...text.matchAll(SUMMARY)].at(-1);
  if (!last) return undefined;
  const counts: Counts = countsOf(last[1] ?? '');
  const { failures, errors } = blocks(text);
  return { ...counts, failed: Math.max(counts.failed, failures.length), failures, errors };
}

function blocks(text: string): { failures: TestFailure[]; errors: string[] } {
  const lines = text.split('\n');
  const failures: TestFailure[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  let file: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const fileLine = FILE.exec(lines[i] ?? '');
    if (fileLine) file = fileLine[2];
    const header = BLOCK.exec(lines[i] ?? '');
    if (!header) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !BLOCK.test(lines[j] ?? '') && !FILE.test(lines[j] ?? '') && !/^(Test Suites:|Summary of all failing tests)/.test(lines[j] ?? ''); j++) body.push(lines[j] ?? '');
    const name = (header[1] ?? '').trim().replace(/ › /g, ' > ');
    if (NOT_A_TEST.test(name)) {
      if (name !== 'Console') errors.push(`${file ?? 'a test file'}: ${firstLines(body.join('\n'), 8) || 'the file failed to run'}`);
      continue;
    }
    const key = `${file}\u0000${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The code frame marks the failing line with `>`; the message is everything before the frame.
    const marked = body.map((l) => /^\s*> (\d+) \|/.exec(l)).find((m) => m !== null);
    const frameAt = body.findIndex((l) => /^\s*(>\s*)?\d+ \|/.test(l));
    failures.push({ name, file, line: marked ? Number(marked[1]) : undefined, message: firstLines(body.slice(0, frameAt < 0 ? undefined : frameAt).join('\n')) || '(no message)' });
  }
  return { failures, errors };
}
