// Parser of the JSON report that jest writes with `--json` and vitest with `--reporter=json`: vitest
// copied jest's shape, so one parser reads both.
import { emptyReport, errorExcerpt, firstLines, projectFrame, relativePath, type ParseContext, type TestFailure, type TestReport } from './types.js';

interface AssertionResult {
  ancestorTitles?: string[];
  title?: string;
  fullName?: string;
  status?: string;
  failureMessages?: string[];
  location?: { line?: number } | null;
}

interface FileResult {
  name?: string;
  status?: string;
  message?: string;
  assertionResults?: AssertionResult[];
}

interface JestJson {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: FileResult[];
}

// Statuses that mean "did not run on purpose"; jest and vitest spell them differently.
const SKIPPED = new Set(['skipped', 'pending', 'todo', 'disabled']);

/** Parse a jest/vitest JSON report; throws when the text is not one. */
export function parseJestJson(text: string, ctx: ParseContext): TestReport {
  const json = JSON.parse(text) as JestJson;
  if (typeof json !== 'object' || json === null || !Array.isArray(json.testResults)) {
    throw new Error('not a jest/vitest JSON report: no testResults');
  }
  const report = emptyReport();
  for (const file of json.testResults) readFile(file, report, ctx);
  // The runner's own totals count what the per-file lists may not (e.g. tests of a file cut short).
  if (typeof json.numPassedTests === 'number') report.passed = json.numPassedTests;
  if (typeof json.numFailedTests === 'number') report.failed = Math.max(json.numFailedTests, report.failures.length);
  if (typeof json.numPendingTests === 'number') report.skipped = json.numPendingTests + (json.numTodoTests ?? 0);
  return report;
}

function readFile(file: FileResult, report: TestReport, ctx: ParseContext): void {
  const path = file.name ? relativePath(file.name, ctx) : undefined;
  let failedHere = 0;
  for (const test of file.assertionResults ?? []) {
    if (test.status === 'passed') report.passed++;
    else if (SKIPPED.has(test.status ?? '')) report.skipped++;
    else if (test.status === 'failed') {
      failedHere++;
      report.failed++;
      report.failures.push(failureOf(test, path, ctx));
    }
  }
  // A file that failed with no failing test did not load or run (syntax error, missing import...).
  if (file.status === 'failed' && failedHere === 0) {
    const message = file.message ? errorExcerpt(file.message) : 'the file failed without a failing test';
    report.errors.push(`${path ?? 'a test file'}: ${message}`);
  }
}

function failureOf(test: AssertionResult, path: string | undefined, ctx: ParseContext): TestFailure {
  const name = [...(test.ancestorTitles ?? []), test.title ?? test.fullName ?? '(unnamed test)'].join(' > ');
  const raw = (test.failureMessages ?? []).join('\n');
  // The stack's first project frame points at the failing assertion; the location only at the test's start.
  const frame = projectFrame(raw, ctx);
  const line = frame?.line ?? test.location?.line ?? undefined;
  return { name, file: frame?.file ?? path, line, message: firstLines(raw) || '(no message)' };
}
