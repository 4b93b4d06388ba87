// apply_patch's matching and hunk application on their own: each loosening step, the search
// order, end-of-file anchoring, the closest-match hint and line endings.
import { describe, expect, it } from 'vitest';
import { closestPlace, numberedExcerpt, similarity } from '../../tools/text/closest.js';
import { applyHunks, joinText, splitText } from '../../tools/apply-patch/hunks.js';
import type { Hunk } from '../../tools/apply-patch/parser.js';
import { exactKey, MATCH_STEPS, punctuationKey, seekLines, surroundingSpaceKey, trailingSpaceKey } from '../../tools/apply-patch/seek.js';

const where = async (lines: string[], pattern: string[], start = 0, atEnd = false) => {
  const found = await seekLines(lines, pattern, start, atEnd);
  return found && { index: found.index, step: found.step.name };
};

describe('match steps', () => {
  it('each step forgives one more kind of difference than the one before', () => {
    expect(exactKey(' a ')).toBe(' a ');
    expect(trailingSpaceKey('  a \t')).toBe('  a');
    expect(surroundingSpaceKey('\t a \t')).toBe('a');
    expect(punctuationKey(' \u201cx\u201d \u2018y\u2019 a\u2013b\u2014c\u2212d e\u00a0f\u2026 ')).toBe('"x" \'y\' a-b-c-d e f...');
    expect(MATCH_STEPS.map((step) => step.name)).toEqual([
      'exact',
      'ignoring trailing whitespace',
      'ignoring leading and trailing whitespace',
      'with typographic punctuation read as ASCII',
    ]);
  });
});

describe('seekLines', async () => {
  it('finds an exact match, searching from the start it is given', async () => {
    expect(await where(['a', 'b', 'a', 'b'], ['a', 'b'])).toEqual({ index: 0, step: 'exact' });
    expect(await where(['a', 'b', 'a', 'b'], ['a', 'b'], 1)).toEqual({ index: 2, step: 'exact' });
  });

  it('falls back to ignoring trailing, then surrounding whitespace, then punctuation', async () => {
    expect(await where(['x  ', 'y\t'], ['x', 'y'])).toEqual({ index: 0, step: 'ignoring trailing whitespace' });
    expect(await where(['    x', '  y'], ['x', 'y'])).toEqual({ index: 0, step: 'ignoring leading and trailing whitespace' });
    expect(await where(['say \u201chi\u201d \u2014 now'], ['say "hi" - now'])).toEqual({ index: 0, step: 'with typographic punctuation read as ASCII' });
    expect((await where(['say "hi"'], ['say \u201chi\u201d']))?.index).toBe(0);
  });

  it('prefers a stricter match further down over a looser one above it', async () => {
    expect(await where(['x  ', 'other', 'x'], ['x'])).toEqual({ index: 2, step: 'exact' });
  });

  it('with atEnd matches only the last lines, and never before the start', async () => {
    expect(await where(['x', 'y', 'x'], ['x'], 0, true)).toEqual({ index: 2, step: 'exact' });
    expect(await where(['x', 'y'], ['x'], 0, true)).toBeUndefined();
    expect(await where(['x', 'y'], ['y'], 2, true)).toBeUndefined();
  });

  it('matches an empty pattern at the start (or the end) and never a pattern longer than the file', async () => {
    expect(await where(['a', 'b'], [], 1)).toEqual({ index: 1, step: 'exact' });
    expect(await where(['a', 'b'], [], 0, true)).toEqual({ index: 2, step: 'exact' });
    expect(await where(['a'], ['a', 'b'])).toBeUndefined();
  });
});

describe('closest-match hints', () => {
  it('scores similar lines high and unrelated ones low', () => {
    expect(similarity('return a - b;', 'return a-b;')).toBeGreaterThan(0.7);
    expect(similarity('return a - b;', 'import os')).toBeLessThan(0.2);
  });

  it('finds the most similar place, or none when nothing is alike', async () => {
    const lines = ['import os', 'def f():', '    return a - b', 'print(1)'];
    expect(await closestPlace(lines, ['def f():', '    return a-b'])).toBe(1);
    expect(await closestPlace(lines, ['zzzz qqqq'])).toBeUndefined();
  });

  it('numbers excerpt lines from 1 with aligned numbers and clips at the file edges', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `l${i + 1}`);
    expect(numberedExcerpt(lines, 7, 10)).toBe(' 8\tl8\n 9\tl9\n10\tl10');
    expect(numberedExcerpt(lines, -3, 1)).toBe('1\tl1');
  });
});

describe('applying hunks', () => {
  const hunk = (lines: string[], extra: Partial<Hunk> = {}): Hunk => ({
    anchors: [],
    lines: lines.map((l) => ({ kind: l[0] as ' ' | '-' | '+', text: l.slice(1) })),
    endOfFile: false,
    patchLine: 3,
    ...extra,
  });

  it('inserts added-only lines right after the anchor, or at the end without one', async () => {
    expect((await applyHunks('f', 'a\nb\nc\n', [hunk(['+new'], { anchors: ['a'] })])).text).toBe('a\nnew\nb\nc\n');
    expect((await applyHunks('f', 'a\nb\n', [hunk(['+new'])])).text).toBe('a\nb\nnew\n');
  });

  it('keeps the file’s own text for context lines matched loosely', async () => {
    const result = await applyHunks('f', '\tx = \u201cq\u201d\ny\n', [hunk([' x = "q"', '-y', '+z'])]);
    expect(result).toEqual({ text: '\tx = \u201cq\u201d\nz\n', added: 1, removed: 1, loose: ['hunk 1 matched with typographic punctuation read as ASCII'] });
  });

  it('names the hunk, its @@ line and the patch line when it does not apply', async () => {
    await expect(applyHunks('src/f.py', 'a\n', [hunk(['-b'], { header: '@@ def g():', anchors: ['def g():'], patchLine: 7 })])).rejects.toThrow(
      'hunk 1 of 1 (@@ def g():) for src/f.py (patch line 7) did not apply: its @@ line "def g():" was not found',
    );
  });

  it('splits and joins text keeping LF or CRLF breaks and a missing final newline', () => {
    for (const text of ['a\nb\n', 'a\r\nb\r\n', 'a\nb', 'a\r\nb\n', '', '\n']) {
      const split = splitText(text);
      expect(joinText(split.lines, split)).toBe(text === '' ? '' : text);
    }
    expect(splitText('a\r\nb\r\n')).toEqual({ lines: ['a', 'b'], eol: '\r\n', finalNewline: true });
    expect(splitText('a\r\nb\n').lines).toEqual(['a\r', 'b']);
  });
});
