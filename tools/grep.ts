// grep: search file contents with ripgrep, inside the sandbox. rg is fast, honours .gitignore and
// skips binary files, and its --json output keeps odd file names and lines unambiguous. Results are
// sorted by path (rg --sort=path, which searches on one thread) so the same search gives the same
// output every time; capped output always ends with a count of what was left out.
import { z } from 'zod';
import { defineTool, ToolError, type ToolOutput } from './define-tool.js';
import { collectMatches, type GrepCollection, type GrepFile } from './search/rg-json.js';
import { countMatches } from './search/grep-counts.js';
import {
  firstErrors,
  globWantsHidden,
  joinRel,
  resolveTarget,
  RG_COMMON_FLAGS,
  runRipgrep,
  SEARCH_OUTPUT_BYTES,
  type RgRun,
} from './search/ripgrep.js';

const DEFAULT_MAX_RESULTS = 200; // matching lines (or files, with files_only) shown by default
const MAX_LINE_CHARS = 200; // longer lines are cut around their first match; minified files would flood the context
const LEAD_CHARS = 40; // text kept before the match in a cut line

const parameters = z.object({
  pattern: z.string().min(1).describe('Rust regex'),
  path: z.string().optional().describe('File or directory to search (default .)'),
  glob: z
    .string()
    .optional()
    .describe('Only files matching this glob, e.g. `*.ts`; a leading ! excludes'),
  case_insensitive: z.boolean().optional().describe('Ignore case'),
  context: z.number().int().min(0).max(10).optional().describe('Context lines around each match'),
  files_only: z.boolean().optional().describe('List matching files with match counts instead'),
  max_results: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe(`Most lines (or files) to show (default ${DEFAULT_MAX_RESULTS})`),
});

type GrepArgs = z.output<typeof parameters>;

export const grep = defineTool({
  name: 'grep',
  description:
    'Search file contents with ripgrep, skipping gitignored, hidden and binary files; prefer it to ' +
    'grep in the shell. Output: each file, then `12: text` per match (`11- text` context).',
  parameters,
  async execute(args, ctx) {
    const target = await resolveTarget(ctx, args.path);
    // Run rg inside a directory target so that globs match relative to it, as the description says.
    const cwd = target.type === 'directory' ? target.rel : undefined;
    const base = target.type === 'directory' ? target.rel : '.';
    const searchArg = target.type === 'directory' ? '.' : target.rel;
    const filters = filterFlags(args);
    const limit = args.max_results ?? DEFAULT_MAX_RESULTS;
    if (args.files_only) {
      const run = await runRipgrep(ctx, ['--count', '--with-filename', '--stats', ...filters, '--', searchArg], { cwd });
      refuseFailedRun(run, args, run.stdout.includes(' files searched'));
      const counted = countMatches(run, base, limit);
      return finish(run, args, target.rel, { ...counted, totals: { files: counted.files, matchedLines: counted.matchedLines } });
    }
    const context = args.context ?? 0;
    const run = await runRipgrep(ctx, ['--json', ...(context > 0 ? [`--context=${context}`] : []), ...filters, '--', searchArg], { cwd });
    const found = collectMatches(run.stdout, limit, context);
    refuseFailedRun(run, args, found.total !== undefined || found.files.length > 0);
    const shown = renderMatches(found.files, base, context);
    const totals = found.total ?? { matchedLines: found.seenMatchedLines, files: found.seenFiles };
    return finish(run, args, target.rel, { lines: shown.lines, note: capNote(found, shown.matches, shown.files), totals });
  },
});

/** The flags that choose what is searched, shared by both output modes. */
function filterFlags(args: GrepArgs): string[] {
  return [
    '--sort=path',
    args.case_insensitive ? '--ignore-case' : '--case-sensitive',
    ...(globWantsHidden(args.glob) ? ['--hidden'] : []),
    ...(args.glob !== undefined ? [`--glob=${args.glob}`] : []),
    // After the model's glob: of two matching globs rg obeys the later one, so .git stays excluded.
    ...RG_COMMON_FLAGS,
    `--regexp=${args.pattern}`,
  ];
}

/** rg stopped before searching anything (a bad regex or glob): the model's to fix, with rg's words. */
function refuseFailedRun(run: RgRun, args: GrepArgs, searched: boolean): void {
  if (run.exitCode !== 2 || searched) return;
  const message = run.stderr.trim() || run.stdout.trim() || 'no message';
  if (/regex/i.test(message)) {
    throw new ToolError(`invalid regex /${args.pattern}/ (Rust regex syntax; escape literal characters with \\):\n${message}`);
  }
  throw new ToolError(`rg could not run this search: ${message}`);
}

/** What a search shows: its lines, a note on what the cap left out, and totals for renderers. */
interface Shown {
  lines: string[];
  note?: string;
  totals: { files: number; matchedLines: number };
}

/** The model-facing text: results, or a plain no-match line, plus notes on anything incomplete. */
function finish(run: RgRun, args: GrepArgs, rel: string, shown: Shown): ToolOutput {
  const notes: string[] = [];
  if (shown.note) notes.push(shown.note);
  if (run.timedOut) notes.push('(the search timed out, so results are incomplete; narrow the path or glob)');
  if (run.aborted) notes.push('(the search was interrupted, so results are incomplete)');
  if (run.exitCode === 2 && run.stderr) notes.push(`(rg reported errors, so some files were not searched: ${firstErrors(run.stderr)})`);
  const where = `${rel}${args.glob !== undefined ? ` (glob ${args.glob})` : ''}`;
  const body = shown.lines.length > 0 ? shown.lines : [`no matches for /${args.pattern}/ in ${where}`];
  return { output: [...body, ...notes].join('\n'), details: { ...shown.totals, pattern: args.pattern, path: rel } };
}

/** Files and lines within the output budget, and how many matching lines and files made it. */
function renderMatches(files: GrepFile[], base: string, context: number): { lines: string[]; matches: number; files: number } {
  const out: string[] = [];
  let bytes = 0;
  let matches = 0;
  let shownFiles = 0;
  const fits = (text: string): boolean => bytes + Buffer.byteLength(text) + 1 <= SEARCH_OUTPUT_BYTES;
  const push = (text: string): void => {
    out.push(text);
    bytes += Buffer.byteLength(text) + 1;
  };
  for (const file of files) {
    const header = joinRel(base, file.path);
    const body = file.binary
      ? [{ text: `  (binary file: ${file.matchedLines} matching lines not shown)`, matches: file.matchedLines }]
      : fileLines(file, context);
    // A file goes in with at least its first line, or not at all.
    if (!fits(`${header}\n${body[0]?.text ?? ''}`)) break;
    push(header);
    shownFiles++;
    let complete = true;
    for (const line of body) {
      complete = fits(line.text);
      if (!complete) break;
      push(line.text);
      matches += line.matches;
    }
    if (!complete) break;
  }
  return { lines: out, matches, files: shownFiles };
}

/** `  12: text` and `  11- text` lines of one file, with `  --` where the line numbers jump; `matches` counts matching lines. */
function fileLines(file: GrepFile, context: number): { text: string; matches: number }[] {
  const out: { text: string; matches: number }[] = [];
  let previous: number | undefined;
  for (const line of file.lines) {
    if (context > 0 && previous !== undefined && line.line > previous + 1) out.push({ text: '  --', matches: 0 });
    out.push({ text: `  ${line.line}${line.match ? ':' : '-'} ${clip(line.text, line.column)}`, matches: line.match ? 1 : 0 });
    previous = line.line;
  }
  return out;
}

/** A long line cut to a window around its first match, so the match itself stays visible. */
function clip(text: string, column: number | undefined): string {
  const clean = text.replaceAll('\0', '\uFFFD');
  if (clean.length <= MAX_LINE_CHARS) return clean;
  const start = Math.max(0, Math.min((column ?? 0) - LEAD_CHARS, clean.length - MAX_LINE_CHARS));
  const end = start + MAX_LINE_CHARS;
  return `${start > 0 ? '…' : ''}${clean.slice(start, end)}${end < clean.length ? '… [line cut]' : ''}`;
}

/** The closing note when some matches were not shown, with counts and how to narrow the search. */
function capNote(found: GrepCollection, shownMatches: number, shownFiles: number): string | undefined {
  const total = found.total ?? { matchedLines: found.seenMatchedLines, files: found.seenFiles };
  const moreLines = total.matchedLines - shownMatches;
  if (moreLines <= 0) return undefined;
  const moreFiles = total.files - shownFiles;
  const atLeast = found.total ? '' : 'at least ';
  const inFiles = moreFiles > 0 ? ` in ${moreFiles} more file${moreFiles === 1 ? '' : 's'}` : '';
  return (
    `… ${atLeast}${moreLines} more matching line${moreLines === 1 ? '' : 's'}${inFiles} not shown ` +
    `(showing ${shownMatches} of ${atLeast}${total.matchedLines} in ${shownFiles} of ${atLeast}${total.files} files). ` +
    'Narrow the search with a more specific pattern, a path or a glob, or set files_only to list every matching file.'
  );
}
