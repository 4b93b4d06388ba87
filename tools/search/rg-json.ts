// Reading `rg --json` output: one JSON message per line (begin, match, context, end, summary). Paths
// and lines come as JSON strings, or base64 bytes when they are not UTF-8, so names with spaces,
// colons or newlines parse without guessing. Lines that do not parse are skipped: the exec cap may
// have cut one in half, and its `[... omitted ...]` marker is not JSON either.

/** One line of output from a searched file. */
export interface GrepLine {
  /** 1-based line number. */
  line: number;
  /** The line's text, without its line ending. */
  text: string;
  /** True for a matching line, false for a context line. */
  match: boolean;
  /** UTF-16 index of the first match in `text` (matching lines only). */
  column?: number;
}

/** The lines kept from one file that has matches. */
export interface GrepFile {
  /** As rg printed it, relative to rg's working directory. */
  path: string;
  lines: GrepLine[];
  /** Matching lines in the whole file, shown or not. */
  matchedLines: number;
  /** rg found a NUL byte: the file is binary and its lines are not worth showing. */
  binary: boolean;
}

/** What one search found. */
export interface GrepCollection {
  /** Files with at least one kept matching line, in rg's order. */
  files: GrepFile[];
  /** Totals over the whole search from rg's summary; undefined when rg did not get to write it. */
  total?: { matchedLines: number; files: number };
  /** Matching lines counted from the per-file messages that survived (a floor when `total` is missing). */
  seenMatchedLines: number;
  seenFiles: number;
}

interface RgData {
  path?: RgText;
  lines?: RgText;
  line_number?: number | null;
  submatches?: { start: number }[];
  binary_offset?: number | null;
  stats?: { matched_lines?: number; searches_with_match?: number };
}
interface RgText {
  text?: string;
  bytes?: string;
}

/**
 * Collect at most `maxMatches` matching lines with their context. Past the cap, only the trailing
 * context of the last kept match is kept, so the shown output never ends in mid-thought.
 */
export function collectMatches(stdout: string, maxMatches: number, context: number): GrepCollection {
  const collection: GrepCollection = { files: [], seenMatchedLines: 0, seenFiles: 0 };
  let current: GrepFile | undefined;
  let kept = 0;
  let trailingUntil = -1; // last line number of context still wanted after the cap
  for (const raw of stdout.split('\n')) {
    const message = parseMessage(raw);
    if (!message) continue;
    const { type, data } = message;
    if (type === 'begin') {
      current = { path: rgText(data.path), lines: [], matchedLines: 0, binary: false };
      trailingUntil = -1;
    } else if ((type === 'match' || type === 'context') && current && typeof data.line_number === 'number') {
      const line = data.line_number;
      const isMatch = type === 'match';
      if (kept < maxMatches) {
        current.lines.push(toLine(data, line, isMatch));
        if (isMatch) {
          kept++;
          trailingUntil = line + context;
        }
      } else if (isMatch) {
        trailingUntil = -1;
      } else if (line <= trailingUntil) {
        current.lines.push(toLine(data, line, false));
      }
    } else if (type === 'end' && current) {
      current.matchedLines = data.stats?.matched_lines ?? 0;
      current.binary = typeof data.binary_offset === 'number';
      collection.seenMatchedLines += current.matchedLines;
      if (current.matchedLines > 0) collection.seenFiles++;
      if (current.lines.some((l) => l.match)) collection.files.push(current);
      current = undefined;
    } else if (type === 'summary' && data.stats) {
      collection.total = { matchedLines: data.stats.matched_lines ?? 0, files: data.stats.searches_with_match ?? 0 };
    }
  }
  return collection;
}

function parseMessage(raw: string): { type: string; data: RgData } | undefined {
  if (!raw.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(raw) as { type?: unknown; data?: unknown };
    if (typeof value.type !== 'string' || typeof value.data !== 'object' || value.data === null) return undefined;
    return { type: value.type, data: value.data as RgData };
  } catch {
    return undefined;
  }
}

function toLine(data: RgData, line: number, match: boolean): GrepLine {
  const bytes = rgBytes(data.lines);
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end--;
  if (bytes[end - 1] === 0x0d) end--;
  const text = bytes.subarray(0, end).toString('utf8');
  const start = data.submatches?.[0]?.start;
  // rg gives byte offsets; the text is cut by characters, so convert.
  const column = match && start !== undefined ? bytes.subarray(0, Math.min(start, end)).toString('utf8').length : undefined;
  return { line, text, match, column };
}

function rgBytes(value: RgText | undefined): Buffer {
  if (value?.text !== undefined) return Buffer.from(value.text, 'utf8');
  return Buffer.from(value?.bytes ?? '', 'base64');
}

/** A path or line as text; bytes that are not UTF-8 become U+FFFD. */
function rgText(value: RgText | undefined): string {
  return value?.text ?? Buffer.from(value?.bytes ?? '', 'base64').toString('utf8');
}
