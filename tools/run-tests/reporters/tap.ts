// Parser of the TAP that Node's test runner writes with `--test-reporter=tap`. Subtests are indented
// four spaces per level under a `# Subtest: name` line; each result may carry a YAML block with the
// test's `location`, `error` and `type`. The totals are comment lines at the end (`# pass 3`).
import { emptyReport, firstLines, projectFrame, relativePath, type ParseContext, type TestReport } from './types.js';

interface Result {
  ok: boolean;
  name: string;
  directive?: 'skip' | 'todo';
  yaml: Record<string, string>;
  /** `# ` comment lines since the previous result: what a test file's process printed to stderr. */
  comments: string[];
}

const RESULT = /^(\s*)(not ok|ok)\s+\d+(?:\s+-\s+(.*))?$/;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;
const TOTAL = /^# (pass|fail|skipped|todo|cancelled) (\d+)\s*$/;

/** Parse Node TAP; throws when the text holds no test result at all. */
export function parseNodeTap(text: string, ctx: ParseContext): TestReport {
  const { results, totals } = readResults(text);
  if (results.length === 0 && totals.size === 0) throw new Error('no TAP test results');
  const report = emptyReport();
  let fileErrors = 0;
  for (const { result, path } of results) {
    if (!result.ok && isFileProcess(result)) {
      // The process of a whole test file failed (a syntax error, a bad import): not a test of its own.
      fileErrors++;
      const said = firstLines(result.comments.join('\n'), 8) || firstLines(result.yaml.error ?? '') || 'the file failed to run';
      report.errors.push(`${relativePath(result.name, ctx)}: ${said}`);
      continue;
    }
    const isSuite = result.yaml.type === 'suite';
    if (!isSuite) {
      if (result.directive) report.skipped++;
      else if (result.ok) report.passed++;
      else report.failed++;
    }
    // A suite fails because a test in it failed ("1 subtest failed"); that test is already listed.
    const failedChildren = result.yaml.failureType === 'subtestsFailed';
    if (result.ok || result.directive || failedChildren) continue;
    // The stack points at the failing assertion; `location` only at the test's declaration.
    const declared = /^(.*):(\d+):\d+$/.exec(result.yaml.location ?? '');
    const where = projectFrame(result.yaml.stack ?? '', ctx) ?? (declared ? { file: relativePath(declared[1] ?? '', ctx), line: Number(declared[2]) } : undefined);
    report.failures.push({
      name: [...path, result.name].join(' > '),
      file: where?.file,
      line: where?.line,
      message: firstLines(result.yaml.error ?? '') || '(no message)',
    });
  }
  // The closing totals are authoritative when present: a run killed midway has none, so the counts above stay.
  if (totals.has('pass')) report.passed = totals.get('pass') ?? 0;
  if (totals.has('fail')) report.failed = (totals.get('fail') ?? 0) + (totals.get('cancelled') ?? 0) - fileErrors;
  if (totals.has('skipped')) report.skipped = (totals.get('skipped') ?? 0) + (totals.get('todo') ?? 0);
  return report;
}

/** Node reports a test file whose process failed as a result named by its path, with the exit code. */
function isFileProcess(result: Result): boolean {
  return result.yaml.exitCode !== undefined || result.name.startsWith('/') || result.name.startsWith('file://');
}

function readResults(text: string): { results: { result: Result; path: string[] }[]; totals: Map<string, number> } {
  const lines = text.split('\n');
  const results: { result: Result; path: string[] }[] = [];
  const totals = new Map<string, number>();
  let open: { indent: number; name: string }[] = [];
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*# /.test(line) && !SUBTEST.test(line) && !TOTAL.test(line)) comments.push(line.replace(/^\s*# ?/, ''));
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      const indent = subtest[1]?.length ?? 0;
      open = [...open.filter((s) => s.indent < indent), { indent, name: unescape(subtest[2] ?? '') }];
      continue;
    }
    const total = TOTAL.exec(line);
    if (total) totals.set(total[1] ?? '', Number(total[2]));
    const match = RESULT.exec(line);
    if (!match) continue;
    const indent = match[1]?.length ?? 0;
    const path = open.filter((s) => s.indent < indent).map((s) => s.name);
    open = open.filter((s) => s.indent < indent);
    const { yaml, next } = readYaml(lines, i + 1, indent);
    i = next - 1;
    results.push({ result: { ok: match[2] === 'ok', ...splitDirective(match[3] ?? ''), yaml, comments }, path });
    comments = [];
  }
  return { results, totals };
}

/** `name # SKIP reason` → name and directive; `\#` is an escaped hash inside a name. */
function splitDirective(text: string): { name: string; directive?: 'skip' | 'todo' } {
  const at = text.search(/(?<!\\)#\s*(SKIP|TODO)\b/i);
  if (at < 0) return { name: unescape(text.trim()) };
  const directive = /#\s*SKIP/i.test(text.slice(at)) ? 'skip' : 'todo';
  return { name: unescape(text.slice(0, at).trim()), directive };
}

function unescape(name: string): string {
  return name.replace(/\\#/g, '#').replace(/\\\\/g, '\\');
}

/**
 * Read the YAML block after a result (`---` ... `...`, indented two more than the result). Only what
 * the summary needs is understood: plain and quoted scalars, and `|-` block scalars.
 */
function readYaml(lines: string[], start: number, indent: number): { yaml: Record<string, string>; next: number } {
  const yaml: Record<string, string> = {};
  if ((lines[start] ?? '').trim() !== '---') return { yaml, next: start };
  const pad = indent + 2;
  let i = start + 1;
  while (i < lines.length && (lines[i] ?? '').trim() !== '...') {
    const line = lines[i] ?? '';
    const entry = /^\s*([\w-]+):\s?(.*)$/.exec(line);
    i++;
    if (!entry || line.length - line.trimStart().length !== pad) continue;
    const [, key = '', value = ''] = entry;
    if (/^[|>][-+]?$/.test(value)) {
      const block: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim() !== '...' && indentOf(lines[i] ?? '', pad) > pad) {
        block.push((lines[i] ?? '').slice(pad + 2));
        i++;
      }
      yaml[key] = block.join('\n');
    } else yaml[key] = scalar(value);
  }
  return { yaml, next: i + 1 };
}

/** Indentation of a line; blank lines count as belonging to the block being read. */
function indentOf(line: string, pad: number): number {
  return line.trim() === '' ? pad + 2 : line.length - line.trimStart().length;
}

function scalar(value: string): string {
  const v = value.trim();
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1).replace(/''/g, "'");
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) {
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}
