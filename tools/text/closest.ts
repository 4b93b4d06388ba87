// What to show the model when text it quoted is not in a file (an edit_file old_string, an
// apply_patch hunk): the place most like what it expected, numbered as read_file numbers lines, so
// it can correct the call without reading the file again. The search is bounded: a miss on a
// 200,000-line file answers in well under a second and never blocks the event loop for long.

/** Lines of the file compared per candidate place; enough to rank places, cheap on big files. */
const COMPARED_LINES = 8;
/** Below this average similarity a "closest match" would only mislead. */
const MIN_SIMILARITY = 0.5;
/** Lines most like the pattern's longest line that are scored in full. */
const CANDIDATES = 64;
/** A line less alike than this to the pattern's longest line is not a candidate. */
const CANDIDATE_FLOOR = 0.3;
/** Longest stretch the scan runs before letting the event loop go on, in ms. */
const SLICE_MS = 4;
/** Time the pair-by-pair comparison may take in all, in ms; the word search still looks at every line. */
const SCAN_BUDGET_MS = 150;
/** Words of the pattern's longest line searched for, longest first. */
const MAX_WORDS = 4;
/** A word found in more places than this is too common to point anywhere. */
const MAX_WORD_HITS = 500;
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

/**
 * Start of the place in `lines` most like `pattern`, when it is alike enough to be worth showing.
 * Candidates come from two bounded searches for lines like the pattern's longest line: the lines
 * holding its distinctive words (native substring search, fast on any file), and a pair-by-pair
 * comparison of every line, run in slices of a few ms so the event loop keeps going (timers, the
 * stream watchdog and SIGINT are never held up) and stopped when its time budget is spent. Only the
 * candidates are scored in full.
 */
export async function closestPlace(lines: readonly string[], pattern: readonly string[]): Promise<number | undefined> {
  const compared = pattern
    .map((text, offset) => ({ text: text.trim(), offset }))
    .filter((line) => line.text !== '')
    .slice(0, COMPARED_LINES);
  if (compared.length === 0) return undefined;
  const anchor = compared.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  const lastStart = Math.max(0, lines.length - pattern.length);
  const starts = new Set<number>();
  for (const index of await candidateLines(lines, anchor.text)) starts.add(Math.min(lastStart, Math.max(0, index - anchor.offset)));
  let best = { index: -1, score: 0 };
  for (const i of [...starts].sort((a, b) => a - b)) {
    let total = 0;
    for (const line of compared) total += similarity((lines[i + line.offset] ?? '').trim(), line.text);
    const score = total / compared.length;
    if (score > best.score) best = { index: i, score };
  }
  return best.score >= MIN_SIMILARITY ? best.index : undefined;
}

/**
 * Indexes of the lines most like `text`: those holding the most of its distinctive words (a word
 * found in too many places says nothing), and those whose character pairs are most like it (a scan
 * that stops when its time budget is spent). One pass, in slices of a few ms.
 */
async function candidateLines(lines: readonly string[], text: string): Promise<number[]> {
  const words = [...new Set(text.match(/[\w$]{4,}/g) ?? [])].sort((a, b) => b.length - a.length).slice(0, MAX_WORDS);
  const wordHits = words.map(() => [] as number[]);
  const grams = new Bigrams(text);
  const top: { index: number; score: number }[] = [];
  const began = performance.now();
  let sliceStart = began;
  let comparing = true;
  for (let i = 0; i < lines.length; i++) {
    if ((i & 255) === 0 && performance.now() - sliceStart > SLICE_MS) {
      comparing &&= performance.now() - began < SCAN_BUDGET_MS;
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    const line = lines[i] ?? '';
    for (let w = 0; w < words.length; w++) {
      const hits = wordHits[w]!;
      if (hits.length <= MAX_WORD_HITS && line.includes(words[w]!)) hits.push(i);
    }
    if (!comparing) continue;
    const score = grams.similarity(line.trim());
    if (score < CANDIDATE_FLOOR || (top.length === CANDIDATES && score <= (top.at(-1)?.score ?? 0))) continue;
    top.splice(sortedIndex(top, score), 0, { index: i, score });
    if (top.length > CANDIDATES) top.pop();
  }
  const perLine = new Map<number, number>();
  for (const hits of wordHits.filter((h) => h.length <= MAX_WORD_HITS)) for (const line of hits) perLine.set(line, (perLine.get(line) ?? 0) + 1);
  const byWords = [...perLine].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, CANDIDATES).map(([line]) => line);
  return [...byWords, ...top.map((t) => t.index)];
}

/** Where `score` goes in `top` (sorted high to low, earlier lines first among equals). */
function sortedIndex(top: readonly { score: number }[], score: number): number {
  let at = top.length;
  while (at > 0 && (top[at - 1]?.score ?? 0) < score) at--;
  return at;
}

/** Share of character pairs two strings have in common (the Dice coefficient), 0..1. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  return new Bigrams(a).similarity(b);
}

/**
 * The character pairs of one string, compared against many others in a tight loop over typed arrays
 * (pairs hashed into a small table; a rare collision only nudges a score), allocating nothing per line.
 */
class Bigrams {
  private readonly counts = new Int32Array(TABLE_SIZE);
  private readonly left = new Int32Array(TABLE_SIZE);
  private readonly stamp = new Int32Array(TABLE_SIZE);
  private compared = 0;

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length - 1; i++) this.counts[pairHash(text, i)]!++;
  }

  similarity(other: string): number {
    if (other === this.text) return 1;
    const [n, m] = [this.text.length - 1, other.length - 1];
    // Dice can be at most 2·min/(n+m): lines of very different length are skipped unread.
    if (n < 1 || m < 1 || (2 * Math.min(n, m)) / (n + m) < CANDIDATE_FLOOR) return 0;
    const id = ++this.compared;
    let shared = 0;
    for (let i = 0; i < m; i++) {
      const h = pairHash(other, i);
      if (this.stamp[h] !== id) {
        this.stamp[h] = id;
        this.left[h] = this.counts[h]!;
      }
      if (this.left[h]! > 0) {
        shared++;
        this.left[h]!--;
      }
    }
    return (2 * shared) / (n + m);
  }
}

const TABLE_SIZE = 1 << 14;

function pairHash(text: string, i: number): number {
  return (Math.imul(text.charCodeAt(i), 0x9e3779b1) ^ text.charCodeAt(i + 1)) & (TABLE_SIZE - 1);
}
