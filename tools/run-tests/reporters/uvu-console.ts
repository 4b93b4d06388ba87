// Reading a uvu run from its console output: a `FAIL  suite  "test"` block per failure (the message,
// a diff, a stack), and the closing `Total:` / `Passed:` / `Skipped:` lines.
import { firstLines, projectFrame, type ParseContext, type TestFailure, type TestReport } from './types.js';

const TOTALS = /^\s*Total:\s+(\d+)\s*\n\s*Passed:\s+(\d+)\s*\n\s*Skipped:\s+(\d+)/m;
const FAIL = /^\s*FAIL\s+(?:(.+?)\s+)?"(.*)"\s*$/;

/** Counts and failures, or undefined without uvu's totals. */
export function readUvu(text: string, ctx: ParseContext): TestReport | undefined {
  const totals = TOTALS.exec(text);
  if (!totals) return undefined;
  const [total, passed, skipped] = [Number(totals[1]), Number(totals[2]), Number(totals[3])];
  const lines = text.split('\n');
  const failures: TestFailure[] = [];
  lines.forEach((line, i) => {
    const header = FAIL.exec(line);
    if (!header) return;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !FAIL.test(lines[j] ?? '') && !/^\s*Total:/.test(lines[j] ?? ''); j++) body.push(lines[j] ?? '');
    const where = projectFrame(body.join('\n'), ctx);
    const name = header[1] ? `${header[1]} > ${header[2] ?? ''}` : (header[2] ?? '');
    failures.push({ name, file: where?.file, line: where?.line, message: firstLines(body.join('\n').replace(/\s+\((is|equal|ok|not|type|instance|match|snapshot|fixture|throws|unreachable)\)\s*$/m, '')) || '(no message)' });
  });
  return { passed, failed: Math.max(total - passed - skipped, failures.length), skipped, failures, errors: [] };
}
