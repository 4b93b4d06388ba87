// What every reporter parser turns a runner's report into, and the small text helpers they share:
// cutting an assertion message to its first lines and making file paths relative to the project.
import { stripAnsi } from '../../text/ansi.js';

/** One failing test, as the model needs it to find and fix the cause. */
export interface TestFailure {
  /** Full name: enclosing suites and the test's own title. */
  name: string;
  /** File relative to the working directory when it lies inside it. */
  file?: string;
  line?: number;
  /** The first lines of the assertion or error message, trimmed. */
  message: string;
}

/** A parsed test run. Counts are of tests, not of files or suites. */
export interface TestReport {
  passed: number;
  failed: number;
  skipped: number;
  /** pytest's expected failures and unexpected passes, shown as such rather than folded into skipped/passed. */
  xfailed?: number;
  xpassed?: number;
  failures: TestFailure[];
  /** Problems outside any test: a file that did not load, a package that did not build. */
  errors: string[];
}

/** Where paths in a report are made relative to. */
export interface ParseContext {
  /** The working directory's real path, as the runner saw it. */
  root: string;
}

const MESSAGE_LINES = 6;
const MESSAGE_CHARS = 600;

// A stack frame starts a line with "at "; the frames say where, not what, and the location is kept separately.
const STACK_LINE = /^\s*at\s/;

/** An empty report, for parsers that fill one in. */
export function emptyReport(): TestReport {
  return { passed: 0, failed: 0, skipped: 0, failures: [], errors: [] };
}


/**
 * The first few meaningful lines of an error message, each trimmed, with stack frames and blank lines
 * dropped, so a failure costs the model a handful of lines however long the runner's message is.
 */
export function firstLines(text: string, maxLines = MESSAGE_LINES): string {
  const lines: string[] = [];
  for (const raw of stripAnsi(text).split('\n')) {
    if (STACK_LINE.test(raw)) break;
    const line = raw.trim();
    if (line === '') continue;
    lines.push(line);
    if (lines.length >= maxLines) break;
  }
  const joined = lines.join('\n');
  return joined.length > MESSAGE_CHARS ? `${joined.slice(0, MESSAGE_CHARS)}…` : joined;
}

/**
 * Like firstLines, but starting at the first line that names an error (`SyntaxError: ...`) when there
 * is one: runners put paragraphs of generic advice before the error of a file that did not load.
 */
export function errorExcerpt(text: string, maxLines = 8): string {
  const lines = stripAnsi(text).split('\n');
  const at = lines.findIndex((line) => /\b[A-Z]\w*(Error|Exception)\b/.test(line) && !STACK_LINE.test(line));
  return firstLines(at > 0 ? lines.slice(at).join('\n') : text, maxLines);
}

/** A path as the model should see it: relative to the working directory, without `file://`. */
export function relativePath(path: string, ctx: ParseContext): string {
  let p = path.startsWith('file://') ? decodeURIComponent(path.slice('file://'.length)) : path;
  const root = ctx.root.endsWith('/') ? ctx.root : `${ctx.root}/`;
  if (p.startsWith(root)) p = p.slice(root.length);
  else if (p.startsWith('./')) p = p.slice(2);
  return p;
}

/**
 * The first `path:line` in a stack trace that lies in the project (not in node_modules or Node's own
 * code), e.g. `at /repo/math.test.js:5:17` or `(file:///repo/math.test.js:5:17)`.
 */
export function projectFrame(text: string, ctx: ParseContext): { file: string; line: number } | undefined {
  const frame = /(?:\(|\s|^)((?:file:\/\/)?\/[^\s():]+):(\d+)(?::\d+)?/gm;
  for (const match of stripAnsi(text).matchAll(frame)) {
    const path = match[1] ?? '';
    if (path.includes('/node_modules/')) continue;
    const file = relativePath(path, ctx);
    if (file.startsWith('/')) continue; // outside the project: a global tool's frame
    return { file, line: Number(match[2]) };
  }
  return undefined;
}
