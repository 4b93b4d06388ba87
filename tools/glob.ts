// glob: find files by name pattern, newest first. `rg --files` does the walking, so the same files
// are skipped as in grep (.gitignore, hidden, .git). rg 13 sorts --sort=modified per directory, not
// across the tree, so the modification times come from ctx.sandbox.stat and the sort is ours.
import { z } from 'zod';
import type { ToolContext } from './define-tool.js';
import { defineTool, ToolError } from './define-tool.js';
import {
  firstErrors,
  globWantsHidden,
  joinRel,
  resolveTarget,
  RG_COMMON_FLAGS,
  runRipgrep,
  SEARCH_OUTPUT_BYTES,
  splitAtCut,
} from './search/ripgrep.js';

const DEFAULT_MAX_RESULTS = 100; // paths shown by default
const MAX_SORTED_FILES = 10_000; // past this many matches, stat-ing them all costs more than the order is worth
const STAT_BATCH = 64; // stat calls in flight at once

const parameters = z.object({
  pattern: z
    .string()
    .min(1)
    .describe('Glob, gitignore-style: `*.ts` (no slash: any depth), `src/**/*.test.ts` (relative to `path`)'),
  path: z.string().optional().describe('Directory to search (default .)'),
  max_results: z.number().int().min(1).max(1000).optional().describe(`Most paths to show (default ${DEFAULT_MAX_RESULTS})`),
});

export const glob = defineTool({
  name: 'glob',
  description:
    'Find files by path pattern, newest first, one per line. Skips gitignored and hidden files ' +
    '(unless the pattern names one, like `.github/**`).',
  parameters,
  async execute(args, ctx) {
    const target = await resolveTarget(ctx, args.path);
    const where = args.path ?? '.';
    if (target.type !== 'directory') throw new ToolError(`${where} is a file; give glob a directory as path, or the file name in pattern`);
    if (args.pattern.startsWith(`${ctx.cwd}/`)) {
      throw new ToolError(`the pattern ${args.pattern} is absolute; patterns are relative to path (${where}), e.g. **/*.ts`);
    }
    // RG_COMMON_FLAGS after the pattern: rg obeys the later of two matching globs, so .git stays excluded.
    const listArgs = ['--files', ...(globWantsHidden(args.pattern) ? ['--hidden'] : []), `--glob=${args.pattern}`, ...RG_COMMON_FLAGS];
    const run = await runRipgrep(ctx, [...listArgs, '--sort=path', '--', '.'], { cwd: target.rel });
    const listed = splitAtCut(run.stdout, run.cut).head.filter((line) => line !== '');
    if (run.exitCode === 2 && listed.length === 0) throw new ToolError(`rg could not list files for ${args.pattern}: ${firstErrors(run.stderr)}`);
    const paths = listed.map((line) => joinRel(target.rel, line));
    const limit = args.max_results ?? DEFAULT_MAX_RESULTS;
    const notes: string[] = [];
    let shown: string[];
    let total = paths.length;
    if (run.cut || paths.length > MAX_SORTED_FILES) {
      // Newest first needs every match's time; with this many, path order is the honest fallback.
      if (run.cut) total = Math.max(total, await countFiles(ctx, listArgs, target.rel));
      shown = paths.slice(0, limit);
      notes.push(`(${total} files match, too many to sort by modification time: these are the first in path order)`);
    } else {
      shown = (await newestFirst(ctx, paths)).slice(0, limit);
    }
    shown = withinBudget(shown);
    if (total > shown.length) {
      notes.push(`… ${total - shown.length} more files not shown (showing ${shown.length} of ${total}). Narrow the pattern or the path.`);
    }
    if (run.timedOut) notes.push('(listing timed out, so the list is incomplete; narrow the path)');
    if (run.exitCode === 2 && run.stderr) notes.push(`(rg reported errors, so some directories were not listed: ${firstErrors(run.stderr)})`);
    const body = shown.length > 0 ? shown : [`no files match ${args.pattern} in ${target.rel}`];
    return { output: [...body, ...notes].join('\n'), details: { total, shown: shown.length, path: target.rel } };
  },
});

/** Paths sorted by modification time, newest first; equal times by path, so the order is stable. */
async function newestFirst(ctx: ToolContext, paths: string[]): Promise<string[]> {
  const times = new Map<string, number>();
  for (let i = 0; i < paths.length; i += STAT_BATCH) {
    const batch = paths.slice(i, i + STAT_BATCH);
    const infos = await Promise.all(batch.map((p) => ctx.sandbox.stat(p).catch(() => undefined)));
    // A file deleted since the listing sorts last rather than failing the call.
    batch.forEach((p, k) => times.set(p, infos[k]?.mtimeMs ?? Number.NEGATIVE_INFINITY));
  }
  return [...paths].sort((a, b) => times.get(b)! - times.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
}

/** How many files match, counted in the sandbox when the list itself was too long to bring back. */
async function countFiles(ctx: ToolContext, listArgs: string[], cwd: string): Promise<number> {
  const run = await runRipgrep(ctx, [...listArgs, '--', '.'], { cwd, filter: 'wc -l' });
  const count = Number.parseInt(run.stdout.trim(), 10);
  return Number.isNaN(count) ? 0 : count;
}

/** As many paths as fit the output budget. */
function withinBudget(paths: string[]): string[] {
  let bytes = 0;
  const index = paths.findIndex((p) => (bytes += Buffer.byteLength(p) + 1) > SEARCH_OUTPUT_BYTES);
  return index === -1 ? paths : paths.slice(0, index);
}
