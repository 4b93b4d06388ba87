// The apply_patch parser: turns the patch text the model sent into a list of file operations, and
// checks nothing against the file system. Its grammar (NL is a line break; every marker is matched
// with surrounding whitespace ignored):
//
//   patch   := "*** Begin Patch" NL op+ "*** End Patch" NL?
//   op      := add | delete | update
//   add     := "*** Add File: " path NL ("+" text NL)*
//   delete  := "*** Delete File: " path NL
//   update  := "*** Update File: " path NL ("*** Move to: " path NL)? hunk*
//              (no hunk is allowed only together with a Move to: a pure rename)
//   hunk    := header* line+ ("*** End of File" NL)?
//              (only a file's first hunk may leave out its header)
//   header  := "@@" NL | "@@ " anchor NL
//   line    := " " text NL      a context line, kept
//            | "-" text NL      a line removed
//            | "+" text NL      a line added
//            | NL               an empty context line
//
// An anchor is one line of the file (a function signature, a heading) that must occur before the
// hunk's lines, to tell apart places whose context looks alike; several `@@` lines in a row narrow
// down step by step (`@@ class A` then `@@ def run(self):`), each found after the one before.
// `*** End of File` pins a hunk to the end of the file.
//
// Leniencies, each one safe because no valid patch reads differently because of it: blank lines
// around the patch and between operations, a heredoc wrapper (`<<'EOF'` ... `EOF`, as if the patch
// had been typed into a shell), CRLF line breaks, a missing final line break, blank lines inside an
// added file's `+` lines, trailing blank lines at the end of a hunk, a unified-diff header
// (`@@ -1,4 +1,5 @@ anchor`), and git's `\ No newline at end of file`. A missing `*** End Patch`
// is not forgiven: it is what a patch cut off midway looks like.
import { ToolError } from '../define-tool.js';

/** One line of a hunk: kept (` `), removed (`-`) or added (`+`). */
export interface HunkLine {
  kind: ' ' | '-' | '+';
  text: string;
}

/** One `@@` section of an Update File: lines to find in the file and what to put in their place. */
export interface Hunk {
  /** The `@@` line(s) as written (joined with ", "), or undefined when a file's first hunk left them out. */
  header?: string;
  /** Lines that must occur, in this order, before the hunk's lines (the text after each `@@ `). */
  anchors: string[];
  lines: HunkLine[];
  /** True after `*** End of File`: the hunk's old lines must be the last lines of the file. */
  endOfFile: boolean;
  /** 1-based line of the patch where the hunk starts, for error messages. */
  patchLine: number;
}

/** One file operation of a patch, in the order the patch gives them. */
export type FileOp =
  | { kind: 'add'; path: string; lines: string[]; patchLine: number }
  | { kind: 'delete'; path: string; patchLine: number }
  | { kind: 'update'; path: string; moveTo?: string; hunks: Hunk[]; patchLine: number };

/** A patch that does not follow the grammar: where (1-based patch line) and what could come there. */
export class PatchSyntaxError extends ToolError {
  constructor(
    readonly line: number,
    problem: string,
    readonly expected: readonly string[],
  ) {
    super(`invalid patch at line ${line}: ${problem}. Expected ${expected.length > 1 ? 'one of: ' : ''}${expected.join(', ')}`);
    this.name = 'PatchSyntaxError';
  }
}

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File:';
const DELETE = '*** Delete File:';
const UPDATE = '*** Update File:';
const MOVE = '*** Move to:';
const END_OF_FILE = '*** End of File';

// The alternatives error messages offer, by where the parser stands.
const OP_STARTS = [`'${ADD} <path>'`, `'${UPDATE} <path>'`, `'${DELETE} <path>'`];
const AFTER_OP = [...OP_STARTS, `'${END}'`];
const HUNK_LINES = ["' <context line>'", "'-<removed line>'", "'+<added line>'"];
const HUNK_STARTS = ["'@@'", "'@@ <anchor line>'"];

/** A line of the patch with its 1-based number in the text as sent. */
interface Numbered {
  text: string;
  no: number;
}

/** Reading position over the lines between Begin Patch and End Patch. */
class Cursor {
  private at = 0;
  constructor(
    private readonly lines: readonly Numbered[],
    /** The line number of `*** End Patch`, reported when the body runs out. */
    readonly endNo: number,
  ) {}
  peek(): Numbered | undefined {
    return this.lines[this.at];
  }
  next(): void {
    this.at++;
  }
  /** The line `ahead` lines on, undefined past the end. */
  look(ahead: number): Numbered | undefined {
    return this.lines[this.at + ahead];
  }
}

/** Parse a whole patch; throws PatchSyntaxError with the line and the valid alternatives. */
export function parsePatch(patch: string): FileOp[] {
  const { body, endNo } = unwrap(patch);
  const cursor = new Cursor(body, endNo);
  const ops: FileOp[] = [];
  for (let line = cursor.peek(); line !== undefined; line = cursor.peek()) {
    if (line.text.trim() === '') {
      cursor.next();
      continue;
    }
    ops.push(parseOp(cursor, line));
  }
  if (ops.length === 0) throw new PatchSyntaxError(endNo, 'the patch changes no file', OP_STARTS);
  return ops;
}

/** Every path a patch names (sources and Move to targets), or undefined when it does not parse. */
export function patchPaths(patch: string): string[] | undefined {
  let ops: FileOp[];
  try {
    ops = parsePatch(patch);
  } catch {
    return undefined;
  }
  const paths = ops.flatMap((op) => (op.kind === 'update' && op.moveTo !== undefined ? [op.path, op.moveTo] : [op.path]));
  return [...new Set(paths)];
}

/** The numbered lines between the Begin and End markers, after the leniencies at the edges. */
function unwrap(patch: string): { body: Numbered[]; endNo: number } {
  let lines = trimBlankEdges(patch.split(/\r?\n/).map((text, i) => ({ text, no: i + 1 })));
  const heredoc = /^(?:apply_patch\s+)?<<-?\s*(['"]?)([A-Za-z_]\w*)\1$/.exec(lines[0]?.text.trim() ?? '');
  if (heredoc && lines.length >= 2 && lines.at(-1)?.text.trim() === heredoc[2]) lines = trimBlankEdges(lines.slice(1, -1));
  const first = lines[0];
  if (first === undefined) throw new PatchSyntaxError(1, 'the patch is empty', [`'${BEGIN}'`]);
  if (first.text.trim() !== BEGIN) {
    throw new PatchSyntaxError(first.no, `the first line is ${JSON.stringify(first.text)}`, [`'${BEGIN}'`]);
  }
  const last = lines.at(-1) ?? first;
  if (lines.length < 2 || last.text.trim() !== END) {
    throw new PatchSyntaxError(last.no + 1, `the patch ends without '${END}' (was it cut off?)`, [`'${END}' as the last line`]);
  }
  return { body: lines.slice(1, -1), endNo: last.no };
}

function trimBlankEdges(lines: Numbered[]): Numbered[] {
  let from = 0;
  let to = lines.length;
  while (from < to && lines[from]?.text.trim() === '') from++;
  while (to > from && lines[to - 1]?.text.trim() === '') to--;
  return lines.slice(from, to);
}

/** The path after `marker` when `text` starts with it (whitespace around both ignored). */
function markerPath(text: string, marker: string): string | undefined {
  const trimmed = text.trim();
  return trimmed.startsWith(marker) ? trimmed.slice(marker.length).trim() : undefined;
}

function isOpStart(text: string): boolean {
  return [ADD, DELETE, UPDATE].some((marker) => markerPath(text, marker) !== undefined);
}

function parseOp(cursor: Cursor, line: Numbered): FileOp {
  const at = line.no;
  const needPath = (marker: string, path: string): string => {
    if (path === '') throw new PatchSyntaxError(at, `'${marker}' has no path after it`, [`'${marker} <path>'`]);
    return path;
  };
  const add = markerPath(line.text, ADD);
  const del = markerPath(line.text, DELETE);
  const update = markerPath(line.text, UPDATE);
  cursor.next();
  if (add !== undefined) return { kind: 'add', path: needPath(ADD, add), lines: parseAddedLines(cursor), patchLine: at };
  if (del !== undefined) return { kind: 'delete', path: needPath(DELETE, del), patchLine: at };
  if (update !== undefined) return parseUpdate(cursor, needPath(UPDATE, update), at);
  const problem = line.text.trim() === END ? `'${END}' comes before the end of the patch` : `${JSON.stringify(line.text)} does not start a file operation`;
  throw new PatchSyntaxError(at, problem, AFTER_OP);
}

/** The `+` lines of an Add File; blank lines between them count as empty lines of the file. */
function parseAddedLines(cursor: Cursor): string[] {
  const lines: string[] = [];
  for (let line = cursor.peek(); line !== undefined; line = cursor.peek()) {
    if (line.text.startsWith('+')) {
      lines.push(line.text.slice(1));
      cursor.next();
      continue;
    }
    let blanks = 0;
    while (cursor.look(blanks)?.text.trim() === '') blanks++;
    if (blanks > 0 && cursor.look(blanks)?.text.startsWith('+')) {
      for (; blanks > 0; blanks--, cursor.next()) lines.push('');
      continue;
    }
    if (blanks > 0 || line.text.startsWith('*')) break;
    throw new PatchSyntaxError(line.no, `${JSON.stringify(line.text)} is not a line of the added file`, ["'+<line>'", ...AFTER_OP]);
  }
  return lines;
}

function parseUpdate(cursor: Cursor, path: string, at: number): FileOp {
  const moveTo = markerPath(cursor.peek()?.text ?? '', MOVE);
  if (moveTo !== undefined) {
    if (moveTo === '') throw new PatchSyntaxError(at + 1, `'${MOVE}' has no path after it`, [`'${MOVE} <path>'`]);
    cursor.next();
  }
  const hunks: Hunk[] = [];
  for (let line = cursor.peek(); line !== undefined; line = cursor.peek()) {
    if (line.text.trim() === '') {
      cursor.next();
      continue;
    }
    if (isOpStart(line.text) || line.text.trim() === END) break;
    if (line.text.startsWith('@@') || (hunks.length === 0 && /^[ +-]/.test(line.text))) {
      hunks.push(parseHunk(cursor, line));
      continue;
    }
    const expected = hunks.length === 0 ? [...HUNK_STARTS, ...HUNK_LINES] : [...HUNK_STARTS, ...AFTER_OP];
    throw new PatchSyntaxError(line.no, `${JSON.stringify(line.text)} is not valid in an Update File`, expected);
  }
  if (hunks.length === 0 && moveTo === undefined) {
    throw new PatchSyntaxError(at, `'${UPDATE} ${path}' has no hunks`, [`'${MOVE} <path>'`, ...HUNK_STARTS]);
  }
  return moveTo === undefined ? { kind: 'update', path, hunks, patchLine: at } : { kind: 'update', path, moveTo, hunks, patchLine: at };
}

function parseHunk(cursor: Cursor, first: Numbered): Hunk {
  const hunk: Hunk = { anchors: [], lines: [], endOfFile: false, patchLine: first.no };
  const headers: string[] = [];
  for (let line = cursor.peek(); line?.text.startsWith('@@'); line = cursor.peek()) {
    headers.push(line.text.trimEnd());
    const anchor = anchorOf(line.text);
    if (anchor !== undefined) hunk.anchors.push(anchor);
    cursor.next();
  }
  if (headers.length > 0) hunk.header = headers.join(', ');
  let trailingBlanks = 0;
  for (let line = cursor.peek(); line !== undefined; line = cursor.peek()) {
    const text = line.text;
    if (text.trim() === END_OF_FILE) {
      hunk.endOfFile = true;
      cursor.next();
      break;
    }
    if (text.startsWith('@@') || text.startsWith('***')) break;
    cursor.next();
    if (text.startsWith('\\ No newline')) continue; // git's marker, not a line of the file
    const kind = text[0];
    if (kind === ' ' || kind === '-' || kind === '+') {
      hunk.lines.push({ kind, text: text.slice(1) });
      trailingBlanks = 0;
    } else if (text.trim() === '') {
      hunk.lines.push({ kind: ' ', text: '' });
      trailingBlanks++;
    } else {
      throw new PatchSyntaxError(line.no, `${JSON.stringify(text)} is not a hunk line`, [...HUNK_LINES, ...HUNK_STARTS, `'${END_OF_FILE}'`]);
    }
  }
  // Blank lines after a hunk are usually spacing between hunks, not context the file must have.
  hunk.lines.splice(hunk.lines.length - trailingBlanks);
  if (hunk.lines.length === 0) {
    throw new PatchSyntaxError(first.no, `the hunk ${JSON.stringify(hunk.header ?? first.text.trim())} has no lines`, HUNK_LINES);
  }
  return hunk;
}

/** The anchor of an `@@` line; a unified-diff range (`@@ -3,7 +3,8 @@ rest`) is dropped for `rest`. */
function anchorOf(header: string): string | undefined {
  let rest = header.trim().slice(2).trim();
  const unified = /^-\d+(?:,\d+)? \+\d+(?:,\d+)? @@(.*)$/.exec(rest);
  if (unified) rest = (unified[1] ?? '').trim();
  return rest === '' ? undefined : rest;
}
