// Reading which tests passed from a test command's console log, as SWE-bench's log parsers do: TAP
// (`ok 1 - name` / `not ok 2 - name`, e.g. node --test --test-reporter=tap) and pytest's -rA summary
// (`PASSED path::name`, `FAILED path::name - why`). A test missing from the log did not pass.

export type TestStatus = 'passed' | 'failed';

/** Test id -> status; a later line for the same id wins (a retried test). */
export function testStatuses(log: string): Map<string, TestStatus> {
  const statuses = new Map<string, TestStatus>();
  for (const raw of log.split('\n')) {
    const line = raw.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trimEnd();
    const tap = /^\s*(not )?ok \d+ - (.+?)(?:\s+#\s*(SKIP|TODO)\b.*)?$/i.exec(line);
    if (tap) {
      if (!tap[3]) statuses.set(tap[2]!.trim(), tap[1] ? 'failed' : 'passed');
      continue;
    }
    const pytest = /^(PASSED|FAILED|ERROR|XPASS|XFAIL) (\S+)/.exec(line);
    if (pytest) statuses.set(pytest[2]!, pytest[1] === 'PASSED' || pytest[1] === 'XFAIL' ? 'passed' : 'failed');
  }
  return statuses;
}
