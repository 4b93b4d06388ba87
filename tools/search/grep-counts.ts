// grep's files_only mode: `rg --count --stats` lists each matching file with its number of matching
// lines and ends with totals, so even when the exec cap cuts a huge list the totals survive in its tail.
import { joinRel, splitAtCut, SEARCH_OUTPUT_BYTES, type RgRun } from './ripgrep.js';

/** The lines to show and the totals of a files_only search. */
export interface CountedMatches {
  lines: string[];
  /** Set when some files were not listed. */
  note?: string;
  files: number;
  matchedLines: number;
}

const COUNT_LINE = /^(.+):(\d+)$/; // `path:count`; greedy, so a path containing `:digits` stays whole
const STATS_LINE = /^(\d+) (matched lines|files contained matches)$/;

/** Parse `path:count` lines and rg's stats; list at most `limit` files within the output budget. */
export function countMatches(run: RgRun, base: string, limit: number): CountedMatches {
  const { head, tail } = splitAtCut(run.stdout, run.cut);
  const entries: { path: string; count: number }[] = [];
  const stats = new Map<string, number>();
  for (const line of head) {
    const count = COUNT_LINE.exec(line);
    if (count) entries.push({ path: joinRel(base, count[1]!), count: Number(count[2]) });
  }
  // Only the head's files are listed, so the list stays a contiguous run in path order.
  for (const line of [...head, ...tail]) {
    const stat = STATS_LINE.exec(line);
    if (stat) stats.set(stat[2]!, Number(stat[1]));
  }
  const lines: string[] = [];
  let bytes = 0;
  for (const entry of entries.slice(0, limit)) {
    const text = `${entry.path}: ${entry.count}`;
    bytes += Buffer.byteLength(text) + 1;
    if (bytes > SEARCH_OUTPUT_BYTES) break;
    lines.push(text);
  }
  const files = stats.get('files contained matches') ?? entries.length;
  const matchedLines = stats.get('matched lines') ?? entries.reduce((sum, e) => sum + e.count, 0);
  const more = files - lines.length;
  const note =
    more > 0
      ? `… ${more} more matching file${more === 1 ? '' : 's'} not shown (showing ${lines.length} of ${files} files, ` +
        `${matchedLines} matching lines in all). Narrow the search with a more specific pattern, a path or a glob.`
      : undefined;
  return { lines, note, files, matchedLines };
}
