// The run_tests report parsers (and the split of a wrapped run's output) on small real reports (fixtures captured from real runs of vitest 4,
// jest 30, node 20, pytest 9, cargo and mocha 11, paths rewritten to /repo) and a go test -json stream.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { budgets, splitCapture } from '../../tools/run-tests/capture.js';
import { parseGoJson } from '../../tools/run-tests/reporters/go-json.js';
import { parseJestJson } from '../../tools/run-tests/reporters/jest-json.js';
import { parseJunit } from '../../tools/run-tests/reporters/junit.js';
import { parseNodeTap } from '../../tools/run-tests/reporters/tap.js';
import { parseText } from '../../tools/run-tests/reporters/text.js';
import { firstLines } from '../../tools/run-tests/reporters/types.js';

const ctx = { root: '/repo' };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/run-tests/${name}`, import.meta.url), 'utf8');

describe('vitest and jest JSON reports', () => {
  it('vitest: counts, suite > test names, the failing line from the stack and the assertion message', () => {
    const report = parseJestJson(fixture('vitest.json'), ctx);
    expect(report).toMatchObject({ passed: 1, failed: 2, skipped: 1, errors: [] });
    expect(report.failures).toEqual([
      { name: 'add adds', file: 'math.test.js', line: 2, message: 'AssertionError: expected -1 to be 5 // Object.is equality' },
      { name: 'group > inner fails', file: 'math.test.js', line: 5, message: 'Error: boom\nsecond line' },
    ]);
  });

  it('jest: todo counts as skipped, expected/received lines are kept, a file that did not load is an error', () => {
    const report = parseJestJson(fixture('jest.json'), ctx);
    expect(report).toMatchObject({ passed: 1, failed: 2, skipped: 2 });
    expect(report.failures[0]).toEqual({
      name: 'add adds',
      file: 'math.test.js',
      line: 2,
      message: 'Error: expect(received).toBe(expected) // Object.is equality\nExpected: 5\nReceived: -1',
    });
    expect(report.failures[1]?.name).toBe('group > inner fails');
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatch(/^broken\.test\.js: SyntaxError: \/repo\/broken\.test\.js: Unexpected token \(1:10\)/);
  });

  it('rejects JSON that is not a test report, so the caller falls back to the console output', () => {
    expect(() => parseJestJson('{"hello":1}', ctx)).toThrow(/no testResults/);
    expect(() => parseJestJson('{"testResults":[', ctx)).toThrow();
  });
});

describe('node --test reports', () => {
  it('TAP: totals, nested suite names, the assertion line from the stack and the error text', () => {
    const report = parseNodeTap(fixture('node.tap'), ctx);
    expect(report).toMatchObject({ passed: 1, failed: 2, skipped: 1, errors: [] });
    expect(report.failures).toEqual([
      { name: 'add adds', file: 'math.test.js', line: 3, message: 'Expected values to be strictly equal:\n-1 !== 5' },
      { name: 'group > inner fails', file: 'math.test.js', line: 6, message: 'boom\nsecond line' },
    ]);
  });

  it('TAP cut short by a kill still counts the results it has', () => {
    const cut = fixture('node.tap').split('# Subtest: group')[0] ?? '';
    expect(parseNodeTap(cut, ctx)).toMatchObject({ passed: 1, failed: 1, skipped: 1 });
  });

  it('JUnit XML from node: suites become name prefixes', () => {
    const report = parseJunit(fixture('node-junit.xml'), ctx, 'suites');
    expect(report).toMatchObject({ passed: 1, failed: 2, skipped: 1 });
    expect(report.failures.map((f) => [f.name, f.file, f.line])).toEqual([
      ['add adds', 'math.test.js', 3],
      ['group > inner fails', 'math.test.js', 6],
    ]);
    expect(report.failures[0]?.message).toContain('Expected values to be strictly equal');
  });
});

describe('pytest JUnit XML', () => {
  it('reads E lines as the message, the traceback line as the location and setup errors as failures', () => {
    const report = parseJunit(fixture('pytest-junit.xml'), ctx);
    expect(report).toMatchObject({ passed: 1, failed: 3, skipped: 1, errors: [] });
    expect(report.failures).toEqual([
      { name: 'test_math.test_add', file: 'test_math.py', line: 6, message: 'assert -1 == 5\n+  where -1 = add(2, 3)' },
      { name: 'test_math.TestGroup.test_inner', file: 'test_math.py', line: 17, message: 'ValueError: boom\nsecond line' },
      { name: 'test_math.test_uses_broken (error outside the test body)', file: 'test_math.py', line: 21, message: 'RuntimeError: fixture broke' },
    ]);
  });

  it('rejects text that is not JUnit XML', () => {
    expect(() => parseJunit('collected 0 items', ctx)).toThrow(/not a JUnit XML report/);
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
