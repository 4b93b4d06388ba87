// What to show the model when text it quoted is not in a file (an edit_file old_string, an
// apply_patch hunk): the place most like what it expected, numbered as read_file numbers lines, so
// it can correct the call without reading the file again.

/** Lines of the file compared per candidate place; enough to rank places, cheap on big files. */
const COMPARED_LINES = 8;
/** Below this average similarity a "closest match" would only mislead. */
const MIN_SIMILARITY = 0.5;
/** Lines shown around an excerpt's focus. */
const MARGIN = 2;
/** Longest excerpt shown. */
const MAX_EXCERPT = 14;

/** The 1-based numbered lines `from`..`to` (0-based, end exclusive) of `lines`, tab-separated like read_file. */
export function numberedExcerpt(lines: readonly string[], from: number, to: number): string {
  const start = Math.max(0, from);
  const end = Math.min(lines.length, to, start + MAX_EXCERPT);
  const width = String(end).length;
  return lines
    .slice(start, end)
    .map((line, i) => `${String(start + i + 1).padStart(width)}\t${line}`)
    .join('\n');
}

/** The excerpt around a place `length` lines long starting at `index`, with a margin. */
export function excerptAround(lines: readonly string[], index: number, length: number): string {
  return numberedExcerpt(lines, index - MARGIN, index + Math.max(length, 1) + MARGIN);
}

/** Start of the place in `lines` most like `pattern`, when it is alike enough to be worth showing. */
export function closestPlace(lines: readonly string[], pattern: readonly string[]): number | undefined {
  const compared = pattern
    .map((text, offset) => ({ text: text.trim(), offset }))
    .filter((line) => line.text !== '')
    .slice(0, COMPARED_LINES);
  if (compared.length === 0) return undefined;
  let best = { index: -1, score: 0 };
  const lastStart = Math.max(0, lines.length - pattern.length);
  for (let i = 0; i <= lastStart; i++) {
    let total = 0;
    for (const line of compared) total += similarity((lines[i + line.offset] ?? '').trim(), line.text);
    const score = total / compared.length;
    if (score > best.score) best = { index: i, score };
  }
  return best.score >= MIN_SIMILARITY ? best.index : undefined;
}

/** Share of character pairs two strings have in common (the Dice coefficient), 0..1. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const pair = a.slice(i, i + 2);
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const pair = b.slice(i, i + 2);
    const left = pairs.get(pair) ?? 0;
    if (left > 0) {
      shared++;
      pairs.set(pair, left - 1);
    }
  }
  return (2 * shared) / (a.length + b.length - 2);
}
