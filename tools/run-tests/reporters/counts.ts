// Adding up a runner's "2 failed, 1 passed"-style summary words, shared by the console readers.
import type { TestReport } from './types.js';

/** The counts part of a report. */
export type Counts = Pick<TestReport, 'passed' | 'failed' | 'skipped' | 'xfailed' | 'xpassed'>;

/** Words runners use in their summaries, by what they count. */
const WORDS: Record<string, keyof Counts> = {
  passed: 'passed', passing: 'passed', pass: 'passed',
  failed: 'failed', failing: 'failed', fail: 'failed', error: 'failed', errors: 'failed', cancelled: 'failed',
  skipped: 'skipped', pending: 'skipped', todo: 'skipped', ignored: 'skipped',
  xfailed: 'xfailed', xpassed: 'xpassed',
};

/** Add up the `N word` pairs of `summary` (into `into`, when given). */
export function countsOf(summary: string, into: Counts = { passed: 0, failed: 0, skipped: 0 }): Counts {
  for (const [, count, word = ''] of summary.matchAll(/(\d+) (\w+)/g)) {
    const kind = WORDS[word.toLowerCase()];
    if (kind) into[kind] = (into[kind] ?? 0) + Number(count);
  }
  return into;
}
