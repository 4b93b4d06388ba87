// Parser of `go test -json`: one JSON event per line, each tagged with its package and, for test
// events, the test's name (`TestX/sub` for a subtest). A test's failure message is its own output
// lines; build failures arrive as package events (or, since Go 1.24, `build-output` events).
import { emptyReport, firstLines, type TestReport } from './types.js';

interface GoEvent {
  Action?: string;
  Package?: string;
  ImportPath?: string;
  Test?: string;
  Output?: string;
}

interface GoTest {
  pkg: string;
  name: string;
  status?: string;
  output: string[];
}

// Runner chatter around a test's own output, not part of its message.
const CHATTER = /^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (FAIL|PASS|SKIP):)/;

/** Parse `go test -json` lines; lines that are not events (a cut stream, stray text) are skipped. */
export function parseGoJson(text: string): TestReport {
  const tests = new Map<string, GoTest>();
  const packages = new Map<string, { status?: string; output: string[] }>();
  const builds = new Map<string, string[]>();
  let events = 0;
  for (const line of text.split('\n')) {
    const event = parseLine(line);
    if (!event) continue;
    events++;
    if (event.Action === 'build-output' || event.Action === 'build-fail') {
      const lines = builds.get(event.ImportPath ?? '') ?? [];
      if (event.Output) lines.push(event.Output);
      builds.set(event.ImportPath ?? '', lines);
      continue;
    }
    const pkg = event.Package ?? '';
    if (event.Test === undefined) {
      const entry = packages.get(pkg) ?? { output: [] };
      if (event.Output) entry.output.push(event.Output);
      if (event.Action && ['pass', 'fail', 'skip'].includes(event.Action)) entry.status = event.Action;
      packages.set(pkg, entry);
      continue;
    }
    const key = `${pkg}\u0000${event.Test}`;
    const test = tests.get(key) ?? { pkg, name: event.Test, output: [] };
    if (event.Action === 'output' && event.Output) test.output.push(event.Output);
    if (event.Action && ['pass', 'fail', 'skip'].includes(event.Action)) test.status = event.Action;
    tests.set(key, test);
  }
  if (events === 0) throw new Error('no go test -json events');
  return summarise([...tests.values()], packages, builds);
}

function parseLine(line: string): GoEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null ? (value as GoEvent) : undefined;
  } catch {
    return undefined;
  }
}

function summarise(tests: GoTest[], packages: Map<string, { status?: string; output: string[] }>, builds: Map<string, string[]>): TestReport {
  const report = emptyReport();
  const names = new Set(tests.map((t) => `${t.pkg}\u0000${t.name}`));
  const failingPackages = new Set<string>();
  for (const test of tests) {
    // A parent passes or fails with its subtests; counting it too would count one failure twice.
    const hasSubtests = [...names].some((n) => n.startsWith(`${test.pkg}\u0000${test.name}/`));
    if (hasSubtests || test.status === undefined) continue;
    if (test.status === 'pass') report.passed++;
    else if (test.status === 'skip') report.skipped++;
    else {
      report.failed++;
      failingPackages.add(test.pkg);
      report.failures.push(failureOf(test));
    }
  }
  for (const lines of builds.values()) {
    if (lines.length > 0) report.errors.push(firstLines(lines.join(''), 10));
  }
  for (const [pkg, entry] of packages) {
    if (entry.status !== 'fail' || failingPackages.has(pkg)) continue;
    // Go 1.24+ reports the compiler's words as build-output, listed above; the package line adds nothing.
    if (builds.size > 0 && entry.output.some((l) => l.includes('[build failed]'))) continue;
    // A package that failed without a failing test: a build error, a panic in init, a timeout.
    const said = entry.output.filter((l) => !/^(FAIL|ok)\s*$/.test(l.trim())).join('');
    report.errors.push(`${pkg}: ${firstLines(said, 10) || 'failed without a failing test'}`);
  }
  return report;
}

function failureOf(test: GoTest): { name: string; file?: string; line?: number; message: string } {
  const own = test.output.filter((l) => !CHATTER.test(l));
  const where = own.map((l) => /^\s*([\w./-]+\.go):(\d+): ?(.*)$/.exec(l.trimEnd())).find((m) => m !== null);
  // t.Errorf prints "file_test.go:12: message"; the location is reported separately, so drop it from the text.
  const message = own.map((l) => l.replace(/^(\s*)[\w./-]+\.go:\d+: /, '$1')).join('');
  return {
    name: `${test.name} (${test.pkg})`,
    file: where?.[1],
    line: where?.[2] !== undefined ? Number(where[2]) : undefined,
    message: firstLines(message) || '(no message)',
  };
}
