// The run_tests parsers (and the split of a wrapped run's output) on small real outputs: fixtures
// captured from real runs of tape 5, tap 21, ava 7, uvu 0.5, jest 30, vitest 4, mocha, node 20,
// pytest 9 and cargo, paths rewritten to /repo, and a go test -json stream.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { budgets, splitCapture } from '../../tools/run-tests/capture.js';
import { parseGoJson } from '../../tools/run-tests/reporters/go-json.js';
import type { RunnerKind } from '../../tools/run-tests/detect.js';
import { parseTap } from '../../tools/run-tests/reporters/tap.js';
import { parseText } from '../../tools/run-tests/reporters/text.js';
import { firstLines } from '../../tools/run-tests/reporters/types.js';
import { formatRun } from '../../tools/run-tests/summary.js';

const ctx = { root: '/repo' };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/run-tests/${name}`, import.meta.url), 'utf8');

describe('console output of each runner, as it prints it with no reporter flag', () => {
  const read = (file: string, runner?: RunnerKind) => parseText(fixture(file), ctx, runner);

  it('tape: aligned totals, the `# test` name with the assertion, expected/actual and the line', () => {
    const report = read('tape.tap', 'tape');
    expect(report).toMatchObject({ passed: 3, failed: 1, skipped: 0 });
    expect(report?.failures).toEqual([{ name: 'broken sum > sums to three', file: 'tape.test.js', line: 3, message: 'operator: equal\nexpected: 3\nactual: 2' }]);
  });

  it('tape: all passing prints no `# fail` line, and the count is still exact', () => {
    const text = 'TAP version 13\n# a\nok 1 should be equal\nok 2 should be equal\n\n1..2\n# tests 2\n# pass  2\n\n# ok\n';
    expect(parseText(text, ctx, 'tape')).toMatchObject({ passed: 2, failed: 0, failures: [] });
  });

  it('tap (TAP 14): leaves of nested subtests are counted, the failing one named with its groups and its diff', () => {
    const report = read('tap14.tap', 'tap');
    expect(report).toMatchObject({ passed: 5, failed: 1, skipped: 0, errors: [] });
    expect(report?.failures).toEqual([
      { name: 'tapt/a.test.js > group > broken sum > sums to three', file: 'tapt/a.test.js', line: 5, message: '--- expected\n+++ actual\n@@ -1,1 +1,1 @@\n-3\n+2' },
    ]);
  });

  it('ava: counts the ✔ lines when ava prints no pass count, and reads the failure block', () => {
    const report = read('ava.txt', 'ava');
    expect(report).toMatchObject({ passed: 3, failed: 1, skipped: 1 });
    expect(report?.failures).toEqual([{ name: 'broken sum', file: 'avat/a.test.js', line: 3, message: expect.stringMatching(/^sums to three\nDifference/) }]);
  });

  it('uvu: totals and the FAIL block, colour codes and all', () => {
    const text = fixture('uvu.txt');
    expect(text).toContain('\u001b[');
    const report = parseText(text, ctx, 'uvu');
    expect(report).toMatchObject({ passed: 4, failed: 1, skipped: 0 });
    expect(report?.failures).toEqual([{ name: 'broken sum', file: 'uvut/a.test.js', line: 4, message: expect.stringMatching(/^sums to three\n/) }]);
  });

  it('jest: the Tests: line and each ● block, with the marked line of the code frame', () => {
    const report = read('jest.txt', 'jest');
    expect(report).toMatchObject({ passed: 3, failed: 1, skipped: 1 });
    expect(report?.failures).toEqual([
      { name: 'math > broken sum', file: 'jestt/a.test.cjs', line: 3, message: 'expect(received).toBe(expected) // Object.is equality\nExpected: 3\nReceived: 2' },
    ]);
  });

  it('vitest: the Tests line and each FAIL header with its ❯ pointer', () => {
    const report = read('vitest.txt', 'vitest');
    expect(report).toMatchObject({ passed: 3, failed: 1, skipped: 1 });
    expect(report?.failures[0]).toMatchObject({ name: 'math > broken sum', file: 'vitt/a.test.js', line: 4, message: expect.stringMatching(/^AssertionError: expected 2 to be 3/) });
  });

  it('pytest: xfailed and xpassed are counted as such, the FAILED line gives name, message and traceback line', () => {
    const report = read('pytest.txt', 'pytest');
    expect(report).toMatchObject({ passed: 3, failed: 1, skipped: 1, xfailed: 1, xpassed: 1 });
    expect(report?.failures).toEqual([{ name: 'test_a.py::test_broken_sum', file: 'test_a.py', line: 6, message: 'AssertionError: sums to three' }]);
  });
});

describe('node --test reports', () => {
  it('TAP: totals, nested suite names, the assertion line from the stack and the error text', () => {
    const report = parseTap(fixture('node.tap'), ctx);
    expect(report).toMatchObject({ passed: 1, failed: 2, skipped: 1, errors: [] });
    expect(report.failures).toEqual([
      { name: 'add adds', file: 'math.test.js', line: 3, message: 'Expected values to be strictly equal:\n-1 !== 5' },
      { name: 'group > inner fails', file: 'math.test.js', line: 6, message: 'boom\nsecond line' },
    ]);
  });

  it('TAP cut short by a kill still counts the results it has', () => {
    const cut = fixture('node.tap').split('# Subtest: group')[0] ?? '';
    expect(parseTap(cut, ctx)).toMatchObject({ passed: 1, failed: 1, skipped: 1 });
  });
});

describe('go test -json', () => {
  it('counts leaf tests, names subtests with their package and reports build failures outside tests', () => {
    const report = parseGoJson(fixture('go-test.jsonl'));
    expect(report).toMatchObject({ passed: 2, failed: 2, skipped: 1 });
    expect(report.failures).toEqual([
      { name: 'TestAdd (example.com/calc)', file: 'calc_test.go', line: 8, message: 'add(2, 3) = -1, want 5' },
      { name: 'TestTable/negative (example.com/calc)', file: 'calc_test.go', line: 22, message: 'add(-1, 0) = 1, want -1' },
    ]);
    expect(report.errors).toEqual(['# example.com/calc/broken [example.com/calc/broken.test]\nbroken/broken.go:3:9: undefined: missing']);
  });

  it('skips lines that are not events, as in a stream cut in the middle', () => {
    const lines = fixture('go-test.jsonl').split('\n');
    const cut = [...lines.slice(0, 9), '{"Time":"2024-05-01T10:00', ...lines.slice(12)].join('\n');
    expect(parseGoJson(cut).failures[0]?.name).toBe('TestAdd (example.com/calc)');
    expect(() => parseGoJson('no events here')).toThrow(/no go test -json events/);
  });
});

describe('console output', () => {
  it('cargo: sums the result lines and reads each panic with its location', () => {
    const report = parseText(fixture('cargo.txt'), ctx);
    expect(report).toMatchObject({ passed: 1, failed: 2, skipped: 1 });
    expect(report?.failures).toEqual([
      { name: 'tests::it_adds', file: 'src/lib.rs', line: 7, message: 'assertion `left == right` failed\nleft: -1\nright: 5' },
      { name: 'tests::it_panics', file: 'src/lib.rs', line: 14, message: 'boom\nsecond line' },
    ]);
  });

  it('mocha: counts from passing/failing/pending and the numbered failures with suite names', () => {
    const report = parseText(fixture('mocha.txt'), ctx);
    expect(report).toMatchObject({ passed: 1, failed: 2, skipped: 1 });
    expect(report?.failures.map((f) => [f.name, f.file, f.line])).toEqual([
      ['add adds', 'test.js', 3],
      ['group > deeper > inner fails', 'test.js', 6],
    ]);
    expect(report?.failures[0]?.message).toMatch(/^AssertionError \[ERR_ASSERTION\]: Expected values to be strictly equal:\n-1 !== 5/);
  });

  it('go without -json: only the failing leaves, with their log line', () => {
    const report = parseText(fixture('go-test.txt'), ctx);
    expect(report).toMatchObject({ passed: 0, failed: 2 });
    expect(report?.failures.map((f) => [f.name, f.file, f.line, f.message])).toEqual([
      ['TestAdd', 'calc_test.go', 8, 'add(2, 3) = -1, want 5'],
      ['TestTable/negative', 'calc_test.go', 22, 'add(-1, 0) = 1, want -1'],
    ]);
  });

  it.each([
    ['pytest', '=========== 2 failed, 5 passed, 1 skipped, 1 error in 0.55s ===========', { passed: 5, failed: 3, skipped: 1 }],
    ['pytest -q', '2 failed, 5 passed, 2 xfailed in 0.55s', { passed: 5, failed: 2, xfailed: 2 }],
    ['jest', 'Tests:       2 failed, 1 skipped, 1 todo, 1 passed, 5 total', { passed: 1, failed: 2, skipped: 2 }],
    ['vitest', '      Tests  2 failed | 1 passed | 1 skipped (4)', { passed: 1, failed: 2, skipped: 1 }],
    ['node spec', 'ℹ tests 4\nℹ pass 3\nℹ fail 1\nℹ cancelled 0\nℹ skipped 0\nℹ todo 0', { passed: 3, failed: 1, skipped: 0 }],
  ])('%s: reads the counts from its summary line', (_runner, text, counts) => {
    expect(parseText(`some output\n${text}\n`, ctx)).toMatchObject(counts);
  });

  it('pytest: the short summary lines give the failing tests', () => {
    const text = 'FAILED tests/test_x.py::test_add - assert -1 == 5\n===== 1 failed, 1 passed in 0.10s =====\n';
    expect(parseText(text, ctx)?.failures).toEqual([{ name: 'tests/test_x.py::test_add', file: 'tests/test_x.py', message: 'assert -1 == 5' }]);
  });

  it('returns nothing for output without a summary it knows', () => {
    expect(parseText('make: *** [Makefile:2: test] Error 1\n', ctx)).toBeUndefined();
  });
});

describe('firstLines', () => {
  it('keeps a few trimmed lines before the stack, dropping blanks and colour codes', () => {
    const text = '\u001b[31mError: boom\u001b[39m\n\n   detail one\n    at foo (/repo/a.js:1:1)\n    after';
    expect(firstLines(text)).toBe('Error: boom\ndetail one');
    expect(firstLines('a\nb\nc\nd\ne\nf\ng\nh').split('\n')).toHaveLength(6);
  });
});

describe('splitting a wrapped run', () => {
  const marker = '@@m@@';

  it('separates the report from the log and drops the log tail\'s partial first line', () => {
    const output = `${marker} report 9\n{"a":[1]}\n${marker} log 100\nrtial line\nlast line\n`;
    expect(splitCapture(output, marker, 1000)).toEqual({ report: '{"a":[1]}', reportBytes: 9, log: 'last line\n', logBytes: 100, complete: true });
  });

  it('gives no report when it was over budget or missing, and the raw output when the markers are gone', () => {
    expect(splitCapture(`${marker} report 5000\n\n${marker} log 3\nok\n`, marker, 1000)).toMatchObject({ report: undefined, reportBytes: 5000, log: 'ok\n' });
    expect(splitCapture(`${marker} report none\n\n${marker} log 3\nok\n`, marker, 1000)).toMatchObject({ report: undefined, reportBytes: undefined });
    expect(splitCapture('killed early', marker, 1000)).toEqual({ log: 'killed early', logBytes: 12, complete: false });
  });

  it('leaves room for the log and the markers inside the exec output cap', () => {
    const { reportBudget, logBudget } = budgets(1024 * 1024);
    expect(reportBudget + logBudget).toBeLessThan(1024 * 1024);
    expect(budgets(2048).reportBudget).toBe(0);
  });
});

describe('when counts cannot be read', () => {
  it('shows the failing lines from anywhere in the output, not only the tail', () => {
    const log = ['starting', 'FAIL  src/parser.spec.js', '  expected 2 to equal 3', ...Array.from({ length: 500 }, (_, i) => `progress ${i}`), 'done'].join('\n');
    const facts = { label: 'custom command', display: 'make check', exitCode: 1, timedOut: false, aborted: false, timeoutMs: 1000, durationMs: 10, reportExpected: false, notes: [], log };
    const { status, text } = formatRun(facts);
    expect(status).toBe('FAILED');
    expect(text).toContain('Failing lines:\nFAIL  src/parser.spec.js\n  expected 2 to equal 3');
    expect(text).toContain('progress 499\ndone');
  });
});
