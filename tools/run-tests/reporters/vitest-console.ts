// Reading a vitest run from its default console reporter: the `Tests  1 failed | 3 passed (4)` line,
// and after the "Failed Tests" rule a ` FAIL  file > suite > test` header per failure, then its
// error and a `❯ file:line:col` pointer. "Failed Suites" headers are files that did not load.
import { countsOf } from './counts.js';
import { errorExcerpt, firstLines, type TestFailure, type TestReport } from './types.js';

const SUMMARY = /^\s*Tests\s+(\d+ \w+(?: \| \d+ [\w ]+?)*) \(\d+\)\s*$/gm;
const HEADER = /^ FAIL\s+(.+?)(?: > (.+?))?\s*$/;
const RULE = /^⎯{3,}/;

/** Counts and failures, or undefined without vitest's summary line. */
export function readVitest(text: string): TestReport | undefined {
  const last = [...text.matchAll(SUMMARY)].at(-1);
  if (!last) return undefined;
  const counts = countsOf((last[1] ?? '').replace(/\|/g, ','));
  const failures: TestFailure[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  let section: 'tests' | 'suites' | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (RULE.test(line) && / Failed Tests \d+ /.test(line)) section = 'tests';
    else if (RULE.test(line) && / Failed Suites \d+ /.test(line)) section = 'suites';
    const header = section ? HEADER.exec(line) : null;
    if (!header) continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !HEADER.test(lines[j] ?? '') && !RULE.test(lines[j] ?? ''); j++) body.push(lines[j] ?? '');
    const file = (header[1] ?? '').replace(/ \[.*\]$/, '');
    if (section === 'suites' || header[2] === undefined) {
      errors.push(`${file}: ${errorExcerpt(body.join('\n')) || 'the file failed to load'}`);
      continue;
    }
    const pointer = body.map((l) => /^\s*❯ (\S+?):(\d+):\d+/.exec(l)).find((m) => m !== null);
    const messageEnd = body.findIndex((l) => /^\s*❯ /.test(l));
    failures.push({
      name: header[2],
      file: pointer?.[1] ?? file,
      line: pointer ? Number(pointer[2]) : undefined,
      message: firstLines(body.slice(0, messageEnd < 0 ? undefined : messageEnd).join('\n')) || '(no message)',
    });
  }
  return { ...counts, failed: Math.max(counts.failed, failures.length), failures, errors };
}
