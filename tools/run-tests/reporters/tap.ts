// Parser of TAP (versions 13 and 14), as node's `--test-reporter=tap`, tape and node-tap print it.
// Subtests are indented under a `# Subtest: name` line (tape has none: a `# name` comment heads each
// test's assertions). A result with results nested under it is a group, not a test: only leaves
// are counted, unless the producer's closing totals say otherwise (`# pass 3`, `# pass  3` or
// `# { total: 6, pass: 5, fail: 1 }`). Each result may carry a YAML block with what failed and where.
import { readYamlBlock } from './tap-yaml.js';
import { emptyReport, firstLines, projectFrame, relativePath, type ParseContext, type TestFailure, type TestReport } from './types.js';

interface Result {
  indent: number;
  ok: boolean;
  name: string;
  directive?: 'skip' | 'todo';
  yaml: Record<string, string>;
  /** Enclosing subtests (or tape's test), outermost first. */
  path: string[];
  /** `# ` comment lines since the previous result: what a test file's process printed to stderr. */
  comments: string[];
  children: number;
  failedChildren: number;
  /** Set once a parent has claimed it, so a grandparent counts only its direct children. */
  counted?: boolean;
}

const RESULT = /^(\s*)(not ok|ok)\b\s*(?:\d+)?\s*(?:-\s*)?(.*)$/;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;
const TOTAL = /^# (tests|pass|fail|skipped|skip|todo|cancelled)\s+(\d+)\s*$/;
const TAP_TOTALS = /^# \{ (total: \d+(?:, \w+: \d+)*) \}\s*$/;

/** True when `text` looks like TAP: a plan or a version line and at least one result. */
export function isTap(text: string): boolean {
  return /^\s*(?:TAP version 1[34]|1\.\.\d+)\s*$/m.test(text) && /^\s*(?:not )?ok\b/m.test(text);
}

/** Parse TAP; throws when the text holds no test result at all. */
export function parseTap(text: string, ctx: ParseContext): TestReport {
  const { results, totals } = readResults(text);
  if (results.length === 0 && totals.size === 0) throw new Error('no TAP test results');
  const report = emptyReport();
  let fileErrors = 0;
  for (const result of results) {
    if (!result.ok && result.failedChildren === 0 && isFileProcess(result)) {
      // The process of a whole test file failed (a syntax error, a bad import): not a test of its own.
      fileErrors++;
      const said = firstLines(result.comments.join('\n'), 8) || firstLines(result.yaml.error ?? '') || 'the file failed to run';
      report.errors.push(`${relativePath(result.name, ctx)}: ${said}`);
      continue;
    }
    const leaf = result.children === 0 && result.yaml.type !== 'suite';
    if (leaf) {
      if (result.directive) report.skipped++;
      else if (result.ok) report.passed++;
      else report.failed++;
    }
    // A group fails because a test in it failed; that test is already listed.
    if (result.ok || result.directive || result.failedChildren > 0 || result.yaml.failureType === 'subtestsFailed') continue;
    report.failures.push(failureOf(result, ctx));
  }
  // The closing totals are authoritative when present: a run killed midway has none, so the counts above stay.
  if (totals.has('pass')) report.passed = totals.get('pass') ?? 0;
  if (totals.has('fail')) report.failed = Math.max(0, (totals.get('fail') ?? 0) + (totals.get('cancelled') ?? 0) - fileErrors);
  if (totals.has('skipped') || totals.has('skip') || totals.has('todo')) {
    report.skipped = (totals.get('skipped') ?? 0) + (totals.get('skip') ?? 0) + (totals.get('todo') ?? 0);
  }
  // tape prints no `# fail` line when everything passed; its `# tests` is then the pass count.
  if (totals.has('tests') && !totals.has('fail') && totals.has('pass')) report.failed = Math.max(0, (totals.get('tests') ?? 0) - report.passed - report.skipped);
  return report;
}

/** node reports a test file whose process failed as a result named by its path, with the exit code. */
function isFileProcess(result: Result): boolean {
  return result.yaml.exitCode !== undefined || result.name.startsWith('/') || result.name.startsWith('file://');
}

function failureOf(result: Result, ctx: ParseContext): TestFailure {
  const y = result.yaml;
  // The stack points at the failing assertion; `location` and `at` at most at the test's declaration.
  const declared = /^(.*):(\d+):\d+$/.exec(y.location ?? '');
  const where =
    projectFrame(y.stack ?? '', ctx) ??
    projectFrame(y.at ?? '', ctx) ??
    relativeFrame(`${y.stack ?? ''}\n${y.at ?? ''}`) ??
    (y['at.fileName'] ? { file: relativePath(y['at.fileName'], ctx), line: Number(y['at.lineNumber']) || undefined } : undefined) ??
    (declared ? { file: relativePath(declared[1] ?? '', ctx), line: Number(declared[2]) } : undefined);
  return { name: [...result.path, result.name].join(' > '), file: where?.file, line: where?.line, message: messageOf(y) };
}

/** `Test.<anonymous> (test/a.js:5:41)`: node-tap's stacks are relative to the working directory. */
function relativeFrame(text: string): { file: string; line: number } | undefined {
  const m = /\(((?!node:|\/)[^\s():]+\.[cm]?[jt]sx?):(\d+):\d+\)/.exec(text);
  return m && !m[1]?.includes('node_modules') ? { file: m[1] ?? '', line: Number(m[2]) } : undefined;
}

/** node's `error`, else what was expected and found (tape, node-tap), else node-tap's diff. */
function messageOf(y: Record<string, string>): string {
  if (y.error) return firstLines(y.error) || '(no message)';
  const pairs: string[] = [];
  for (const [label, keys] of [['expected', ['expected', 'wanted']], ['actual', ['actual', 'found']]] as const) {
    const key = keys.find((k) => y[k] !== undefined);
    if (key) pairs.push(`${label}: ${y[key]}`);
  }
  if (y.operator && pairs.length > 0) pairs.unshift(`operator: ${y.operator}`);
  if (pairs.length > 0) return firstLines(pairs.join('\n'));
  return firstLines(y.diff ?? y.message ?? '') || '(no message)';
}

function readResults(text: string): { results: Result[]; totals: Map<string, number> } {
  const lines = text.split('\n');
  const results: Result[] = [];
  const totals = new Map<string, number>();
  // tape has no `# Subtest:` lines; its `# name` comments head each test instead.
  const tapeStyle = !/^\s*# Subtest: /m.test(text);
  let open: { indent: number; name: string }[] = [];
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      const indent = subtest[1]?.length ?? 0;
      open = [...open.filter((s) => s.indent < indent), { indent, name: unescape(subtest[2] ?? '') }];
      continue;
    }
    if (readTotals(line, totals)) continue;
    if (/^\s*# /.test(line)) {
      const comment = line.replace(/^\s*# ?/, '');
      if (tapeStyle && /^# /.test(line)) open = [{ indent: -1, name: comment.trim() }];
      else comments.push(comment);
      continue;
    }
    const match = RESULT.exec(line);
    if (!match) continue;
    const indent = match[1]?.length ?? 0;
    const path = open.filter((s) => s.indent < indent).map((s) => s.name);
    if (!tapeStyle) open = open.filter((s) => s.indent < indent);
    const { yaml, next } = readYamlBlock(lines, i + 1, indent);
    i = next - 1;
    const result: Result = { indent, ok: match[2] === 'ok', ...splitDirective(match[3] ?? ''), yaml, path, comments, children: 0, failedChildren: 0 };
    // The results just before this one and deeper than it are its children.
    for (let j = results.length - 1; j >= 0 && (results[j]?.indent ?? 0) > indent; j--) {
      const child = results[j];
      if (child && !child.counted) {
        child.counted = true;
        result.children++;
        if (!child.ok && !child.directive) result.failedChildren++;
      }
    }
    results.push(result);
    comments = [];
  }
  return { results, totals };
}

/** Record a closing total line; true when the line was one. Nested totals (indented) are a subtest's own. */
function readTotals(line: string, totals: Map<string, number>): boolean {
  const single = TOTAL.exec(line);
  if (single) {
    totals.set(single[1] ?? '', Number(single[2]));
    return true;
  }
  const object = TAP_TOTALS.exec(line);
  if (!object) return false;
  for (const [, key = '', value = '0'] of (object[1] ?? '').matchAll(/(\w+): (\d+)/g)) totals.set(key === 'total' ? 'tests' : key, Number(value));
  if (!totals.has('fail')) totals.set('fail', 0);
  return true;
}

/** `name # SKIP reason` → name and directive; `\#` is an escaped hash inside a name. */
function splitDirective(text: string): { name: string; directive?: 'skip' | 'todo' } {
  const at = text.search(/(?<!\\)#\s*(SKIP|TODO)\b/i);
  const name = (at < 0 ? text : text.slice(0, at)).replace(/\s+# time=[\d.]+m?s\s*$/, '').trim();
  if (at < 0) return { name: unescape(name) };
  return { name: unescape(name), directive: /#\s*SKIP/i.test(text.slice(at)) ? 'skip' : 'todo' };
}

function unescape(name: string): string {
  return name.replace(/\\#/g, '#').replace(/\\\\/g, '\\');
}
