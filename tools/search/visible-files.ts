// Which entries of a directory tree are not ignored, as rg sees them, for list_dir.
//
// Why rg and not `git check-ignore`: check-ignore needs a git repository, so it says nothing in a
// plain directory with a .gitignore, and it does not know rg's .ignore/.rgignore files. Asking rg
// keeps list_dir in agreement with grep and glob: an entry it shows is one they can find. rg only
// lists files, so a directory counts as not ignored when some file below it is listed. The list is
// folded by awk inside the sandbox into one line per path prefix up to the depth shown, with the
// number of files below it, so a repository of a million files still comes back small.
import type { ToolContext } from '../define-tool.js';
import { shellQuote } from './shell-quote.js';
import { RG_COMMON_FLAGS, runRipgrep, splitAtCut } from './ripgrep.js';

/** Non-ignored files below a directory, folded to the depth being listed. */
export interface VisibleFiles {
  /**
   * Path (relative to the listed directory, no `./`) of every non-ignored file at most `depth`
   * levels down and every directory above one, mapped to the number of non-ignored files at or
   * below it.
   */
  counts: Map<string, number>;
  /** False when rg's answer was cut short (output cap, timeout): a missing path may not be ignored. */
  complete: boolean;
  /** rg's error messages when it could not read some of the tree. */
  errors?: string;
  /** Paths rg named in those messages (relative, no `./`): unreadable in the sandbox, though maybe not on the host. */
  unreadable: Set<string>;
}

// Strip rg's `./`, then count each file under every prefix of at most `d` components.
const FOLD = [
  '{ s = ($1 == ".") ? 2 : 1; p = ""',
  '  for (i = s; i <= NF && i - s < d; i++) { p = (p == "") ? $i : p "/" $i; n[p]++ } }',
  'END { for (k in n) print n[k] "\\t" k }',
].join('\n');

const FOLDED_LINE = /^(\d+)\t(.+)$/;
const ERROR_LINE = /^(?:\.\/)?(.+?): .*\(os error \d+\)$/; // `./locked: Permission denied (os error 13)`

/** Ask rg (hidden files included, .git excluded) which paths below `dir` are not ignored. */
export async function visibleFiles(ctx: ToolContext, dir: string, depth: number): Promise<VisibleFiles> {
  const run = await runRipgrep(ctx, [...RG_COMMON_FLAGS, '--files', '--hidden', '--', '.'], {
    cwd: dir,
    filter: `awk -F/ -v d=${Math.floor(depth)} ${shellQuote(FOLD)}`,
  });
  const counts = new Map<string, number>();
  const { head, tail } = splitAtCut(run.stdout, run.cut);
  for (const line of [...head, ...tail]) {
    const folded = FOLDED_LINE.exec(line);
    if (folded) counts.set(folded[2]!, Number(folded[1]));
  }
  const unreadable = new Set<string>();
  for (const line of run.stderr.split('\n')) {
    const error = ERROR_LINE.exec(line);
    if (error) unreadable.add(error[1]!);
  }
  // Exit 1 is "no files" (an empty or wholly ignored directory); exit 2 still listed what it could read.
  const complete = !run.cut && run.exitCode !== null;
  return { counts, complete, errors: run.exitCode === 2 && run.stderr ? run.stderr : undefined, unreadable };
}
