// Parser of JUnit XML, as pytest writes it with `--junitxml` (and Node with `--test-reporter=junit`).
// The format is flat enough that a tag scanner does: <testsuite> nests, <testcase> holds at most one
// <failure>, <error> or <skipped>, whose body is the traceback. No XML library is needed for that.
import { emptyReport, firstLines, projectFrame, relativePath, type ParseContext, type TestFailure, type TestReport } from './types.js';

/** How a test's full name is built: pytest puts module and class in `classname`, Node nests suites. */
export type JunitNaming = 'classname' | 'suites';

interface Case {
  attrs: Record<string, string>;
  suites: string[];
  outcome?: { kind: 'failure' | 'error' | 'skipped'; message: string; body: string };
}

const TAG = /<(\/?)(testsuite|testcase|failure|error|skipped)\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;

/** Parse JUnit XML; throws when it holds no <testcase>. */
export function parseJunit(text: string, ctx: ParseContext, naming: JunitNaming = 'classname'): TestReport {
  const cases = readCases(text);
  if (cases.length === 0 && !/<testsuites?\b/.test(text)) throw new Error('not a JUnit XML report');
  const report = emptyReport();
  for (const c of cases) {
    const kind = c.outcome?.kind;
    if (kind === 'skipped') report.skipped++;
    else if (kind === undefined) report.passed++;
    else {
      report.failed++;
      report.failures.push(failureOf(c, ctx, naming));
    }
  }
  return report;
}

function readCases(text: string): Case[] {
  const cases: Case[] = [];
  const suites: string[] = [];
  let current: Case | undefined;
  for (const match of text.matchAll(TAG)) {
    const [, closing, tag, rawAttrs = '', selfClosing] = match;
    if (tag === 'testsuite') {
      if (closing) suites.pop();
      else if (!selfClosing) suites.push(attributes(rawAttrs).name ?? '');
    } else if (tag === 'testcase') {
      if (closing) current = undefined;
      else {
        current = { attrs: attributes(rawAttrs), suites: [...suites] };
        cases.push(current);
        if (selfClosing) current = undefined;
      }
    } else if (current && !closing && (tag === 'failure' || tag === 'error' || tag === 'skipped')) {
      // The first outcome wins: pytest may add an <error> for a teardown after a <failure>.
      if (current.outcome) continue;
      const body = selfClosing ? '' : bodyAfter(text, (match.index ?? 0) + match[0].length, tag);
      current.outcome = { kind: tag, message: attributes(rawAttrs).message ?? '', body };
    }
  }
  return cases;
}

function bodyAfter(text: string, from: number, tag: string): string {
  const end = text.indexOf(`</${tag}>`, from);
  const raw = text.slice(from, end < 0 ? undefined : end);
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw);
  return cdata ? (cdata[1] ?? '') : decode(raw);
}

function attributes(raw: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of raw.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs[m[1] ?? ''] = decode(m[2] ?? m[3] ?? '');
  }
  return attrs;
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, entity: string) => {
    const e = entity.toLowerCase();
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] ?? '';
  });
}

function failureOf(c: Case, ctx: ParseContext, naming: JunitNaming): TestFailure {
  const { attrs, outcome } = c;
  const title = attrs.name ?? '(unnamed test)';
  const prefix = naming === 'classname' ? [attrs.classname ?? ''] : c.suites;
  const name = [...prefix.filter((p) => p !== ''), title].join(naming === 'classname' ? '.' : ' > ');
  const body = outcome?.body ?? '';
  // pytest marks the explanation lines of a traceback with "E   "; they are the assertion message.
  const explained = body.split('\n').filter((l) => /^E\s/.test(l)).map((l) => l.slice(1));
  const message = firstLines(explained.length > 0 ? explained.join('\n') : outcome?.message || body);
  const where = pythonLocation(body, attrs.file) ?? projectFrame(body, ctx);
  const setup = outcome?.kind === 'error' ? ' (error outside the test body)' : '';
  return {
    name: `${name}${setup}`,
    file: where?.file ?? (attrs.file ? relativePath(attrs.file, ctx) : undefined),
    line: where?.line,
    message: message || '(no message)',
  };
}

/**
 * pytest closes each traceback entry with `path.py:12: in func` or `path.py:12: ExceptionType`. The
 * test file's last entry is the line the model looks at first; another file's only if the test's is missing.
 */
function pythonLocation(body: string, testFile: string | undefined): { file: string; line: number } | undefined {
  const matches = [...body.matchAll(/^([^\s:][^:\n]*\.py):(\d+): \S/gm)];
  const pick = matches.filter((m) => m[1] === testFile).at(-1) ?? matches.at(-1);
  return pick ? { file: pick[1] ?? '', line: Number(pick[2]) } : undefined;
}
