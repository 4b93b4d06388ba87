// Applying one file's hunks to its text, in memory. Hunks are found in order, each searching on
// from where the previous one ended, so they can never overlap. A hunk that cannot be found throws
// a ToolError naming the hunk and showing the file's lines where it was expected.
import { ToolError } from '../define-tool.js';
import { closestPlace, excerptAround, numberedExcerpt } from '../text/closest.js';
import type { Hunk } from './parser.js';
import { seekLines, type SeekResult } from './seek.js';

/** A file's new text and what the hunks did to it. */
export interface UpdatedText {
  text: string;
  added: number;
  removed: number;
  /** Hunks that matched only loosely, e.g. "hunk 2 matched ignoring trailing whitespace". */
  loose: string[];
}

/** A text as lines, with what is needed to put it back together the same way. */
export interface SplitText {
  lines: string[];
  /** `\r\n` only when every line break of the file is one; a mixed file keeps its `\r`s in the lines. */
  eol: string;
  finalNewline: boolean;
}

/** Lines of the hunk shown back to the model in an error. */
const MAX_SHOWN_HUNK_LINES = 12;

export function splitText(text: string): SplitText {
  const breaks = text.split('\n').length - 1;
  const crlf = breaks > 0 && text.split('\r\n').length - 1 === breaks;
  const lines = text === '' ? [] : text.split(crlf ? '\r\n' : '\n');
  // An empty file gets a final line break once it has lines, as any new file would.
  const finalNewline = text === '' || text.endsWith('\n');
  if (finalNewline && lines.length > 0) lines.pop();
  return { lines, eol: crlf ? '\r\n' : '\n', finalNewline };
}

export function joinText(lines: readonly string[], like: SplitText): string {
  if (lines.length === 0) return '';
  return lines.join(like.eol) + (like.finalNewline ? like.eol : '');
}

/**
 * Apply `hunks` to `text`. Context lines keep the file's own text, so a loose match never rewrites
 * the lines around a change; only `+` lines come from the patch.
 */
export async function applyHunks(path: string, text: string, hunks: readonly Hunk[]): Promise<UpdatedText> {
  const file = splitText(text);
  const out: string[] = [];
  const result: UpdatedText = { text: '', added: 0, removed: 0, loose: [] };
  let cursor = 0;
  for (const [h, hunk] of hunks.entries()) {
    const label = `hunk ${h + 1} of ${hunks.length}${hunk.header ? ` (${hunk.header})` : ''} for ${path} (patch line ${hunk.patchLine})`;
    const found = await locate(file.lines, hunk, cursor, label);
    if (found.step.name !== 'exact') result.loose.push(`hunk ${h + 1} matched ${found.step.name}`);
    out.push(...file.lines.slice(cursor, found.index));
    let at = found.index;
    for (const line of hunk.lines) {
      if (line.kind === ' ') out.push(file.lines[at++] ?? line.text);
      else if (line.kind === '-') {
        at++;
        result.removed++;
      } else {
        out.push(line.text);
        result.added++;
      }
    }
    cursor = at;
  }
  out.push(...file.lines.slice(cursor));
  result.text = joinText(out, file);
  return result;
}

/** Where the hunk's old lines start, searching from `cursor` (after its anchors, if it has any). */
async function locate(lines: readonly string[], hunk: Hunk, cursor: number, label: string): Promise<SeekResult> {
  let start = cursor;
  for (const text of hunk.anchors) {
    const anchor = await seekLines(lines, [text], start, false);
    if (!anchor) {
      const what = `its @@ line ${JSON.stringify(text)} was not found${start > 0 ? ` after line ${start}` : ''}`;
      throw new ToolError(await notFound(lines, [text], start, label, what, false));
    }
    start = anchor.index + 1;
  }
  const old = hunk.lines.filter((line) => line.kind !== '+');
  if (old.length === 0) {
    // Lines only added go right after the last anchor, or at the end of the file without one.
    return (await seekLines(lines, [], start, hunk.endOfFile || hunk.anchors.length === 0)) as SeekResult;
  }
  const wanted = old.map((line) => line.text);
  const found = await seekLines(lines, wanted, start, hunk.endOfFile);
  if (found) return found;
  const shown = old.slice(0, MAX_SHOWN_HUNK_LINES).map((line) => `${line.kind}${line.text}`);
  if (old.length > shown.length) shown.push(`... (${old.length - shown.length} more)`);
  const what = hunk.endOfFile
    ? `its context and removed lines are not the last lines of the file (it ends with *** End of File):\n${shown.join('\n')}`
    : `its context and removed lines were not found${start > 0 ? ` after line ${start}` : ''}:\n${shown.join('\n')}`;
  throw new ToolError(await notFound(lines, wanted, start, label, what, hunk.endOfFile));
}

/** The message for lines not found: which hunk, what was missing, and the file where it should be. */
async function notFound(lines: readonly string[], wanted: readonly string[], start: number, label: string, what: string, atEnd: boolean): Promise<string> {
  const parts = [`${label} did not apply: ${what}`];
  // From the top is the search that just failed when it began there; it is not run twice.
  const elsewhere = start > 0 || atEnd ? await seekLines(lines, wanted, 0, false) : undefined;
  if (elsewhere) {
    const endsFile = elsewhere.index + wanted.length === lines.length;
    parts.push(
      atEnd && !endsFile
        ? `Found at line ${elsewhere.index + 1}, which is not the end of the file.`
        : `Found at line ${elsewhere.index + 1}, above where this hunk's search began (line ${start + 1}, after the previous ` +
            'hunk and the @@ line): hunks go in the order of the file, never overlap, and come after their @@ line.',
    );
  }
  if (atEnd) {
    const tail = Math.max(wanted.length, 3);
    parts.push(`The file ends with:\n${numberedExcerpt(lines, lines.length - tail, lines.length)}`);
  } else if (!elsewhere) {
    parts.push(await placeToShow(lines, wanted, start));
  }
  return parts.join('\n');
}

/** The closest match in the file, or else the lines where the search began. */
async function placeToShow(lines: readonly string[], wanted: readonly string[], start: number): Promise<string> {
  if (lines.length === 0) return 'The file is empty.';
  const closest = await closestPlace(lines, wanted);
  if (closest !== undefined) return `The closest match is at line ${closest + 1}:\n${excerptAround(lines, closest, wanted.length)}`;
  const from = Math.min(start, Math.max(0, lines.length - wanted.length));
  return `Nothing similar was found. The file from line ${from + 1}, where the lines were expected:\n${excerptAround(lines, from, wanted.length)}`;
}
