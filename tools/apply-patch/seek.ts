// Finding a hunk's lines in a file. Matching loosens one small step at a time, and a looser step is
// tried only when no stricter one matches anywhere in the searched range: models often get
// whitespace or typographic punctuation slightly wrong, but a loose match must never win over an
// exact one further down the file.

/** One way of comparing lines: two lines match at this step when their keys are equal. */
export interface MatchStep {
  /** How the step is described to the model when a hunk needed it. */
  name: string;
  key(line: string): string;
}

/** Lines equal as they are. */
export function exactKey(line: string): string {
  return line;
}

/** Trailing whitespace ignored: editors and models both drop or add it invisibly. */
export function trailingSpaceKey(line: string): string {
  return line.trimEnd();
}

/** Leading and trailing whitespace ignored: indentation guessed wrong, or tabs for spaces. */
export function surroundingSpaceKey(line: string): string {
  return line.trim();
}

// Typographic characters and the ASCII a model is likely to type for them.
const PUNCTUATION: Readonly<Record<string, string>> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"', '\u2033': '"',
  '\u00A0': ' ', '\u2002': ' ', '\u2003': ' ', '\u2004': ' ', '\u2005': ' ', '\u2006': ' ', '\u2007': ' ',
  '\u2008': ' ', '\u2009': ' ', '\u200A': ' ', '\u202F': ' ', '\u205F': ' ', '\u3000': ' ',
  '\u2026': '...',
  '\u200B': '', '\uFEFF': '',
};
const PUNCTUATION_PATTERN = new RegExp(`[${Object.keys(PUNCTUATION).join('')}]`, 'g');
// Every character above is outside ASCII: a plain-ASCII line (most lines) needs no replacing.
const NON_ASCII = /[^\x00-\x7f]/;

/** Surrounding whitespace ignored and typographic punctuation (quotes, dashes, odd spaces) read as ASCII. */
export function punctuationKey(line: string): string {
  if (!NON_ASCII.test(line)) return line.trim();
  return line.replace(PUNCTUATION_PATTERN, (ch) => PUNCTUATION[ch] ?? ch).trim();
}

/** The steps, strictest first. */
export const MATCH_STEPS: readonly MatchStep[] = [
  { name: 'exact', key: exactKey },
  { name: 'ignoring trailing whitespace', key: trailingSpaceKey },
  { name: 'ignoring leading and trailing whitespace', key: surroundingSpaceKey },
  { name: 'with typographic punctuation read as ASCII', key: punctuationKey },
];

/** Where a pattern was found and at which step. */
export interface SeekResult {
  /** 0-based index of the file line where the pattern starts. */
  index: number;
  step: MatchStep;
}

/**
 * Find `pattern` in `lines` at or after `start`. With `atEnd` the pattern must be the file's last
 * lines (and still start at or after `start`, so hunks never overlap). An empty pattern matches at
 * `start` (or at the end, with `atEnd`).
 */
export async function seekLines(lines: readonly string[], pattern: readonly string[], start: number, atEnd: boolean): Promise<SeekResult | undefined> {
  const exact = MATCH_STEPS[0] as MatchStep;
  if (pattern.length === 0) return { index: atEnd ? lines.length : start, step: exact };
  const last = lines.length - pattern.length;
  const first = atEnd ? last : start;
  if (first < start || last < first) return undefined;
  const places = await candidatePlaces(lines, pattern[0] ?? '', first, last);
  for (const step of MATCH_STEPS) {
    const wanted = pattern.map((line) => step.key(line));
    for (const i of places) if (matchesAt(lines, wanted, i, step)) return { index: i, step };
  }
  return undefined;
}

/**
 * The places (first..last) where a match could start. Every step keeps ASCII letters, digits and _
 * as they are, so the line must hold the longest such run of the pattern's first line, unless it has
 * non-ASCII characters a step may rewrite. One pass, in slices, so a huge file never blocks the event
 * loop (timers, SIGINT) for long; the steps then compare only these few places.
 */
async function candidatePlaces(lines: readonly string[], head: string, first: number, last: number): Promise<number[]> {
  const core = (head.match(/\w+/g) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
  const places: number[] = [];
  let sliceStart = performance.now();
  for (let i = first; i <= last; i++) {
    if ((i & 1023) === 0 && performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    const line = lines[i] ?? '';
    if (line.includes(core) || NON_ASCII.test(line)) places.push(i);
  }
  return places;
}

/** Longest stretch a search runs before letting the event loop go on, in ms. */
const SLICE_MS = 4;

function matchesAt(lines: readonly string[], wanted: readonly string[], at: number, step: MatchStep): boolean {
  return wanted.every((key, j) => step.key(lines[at + j] ?? '') === key);
}
