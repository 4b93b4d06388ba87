// Running ripgrep for grep, glob and list_dir: inside the sandbox via ctx.sandbox.exec, with every
// argument quoted, and with rg's stdout, stderr and exit status told apart. The sandbox merges stdout
// and stderr into one stream, which would let an error message land in the middle of a JSON line,
// so rg's stderr goes to a temporary file that is printed after stdout, between marker lines.
import type { ToolContext } from '../define-tool.js';
import { ToolError } from '../define-tool.js';
import { shellJoin } from './shell-quote.js';

/** What one rg run left. */
export interface RgRun {
  /** rg's stdout (after the filter, if any); where the exec cap cut it, a `[... N bytes omitted ...]` line. */
  stdout: string;
  /** The start of rg's stderr: its error messages, one per line. */
  stderr: string;
  /** 0 something found, 1 nothing found, 2 an error (results may still be partial); null when rg was killed. */
  exitCode: number | null;
  /** True when the exec output cap dropped part of stdout. */
  cut: boolean;
  timedOut: boolean;
  aborted: boolean;
}

/** Options of runRipgrep. */
export interface RgOptions {
  /** Working directory of rg, relative to the root (default: the root). Globs match relative to it. */
  cwd?: string;
  /** A pipeline stage rg's stdout goes through; fixed text of the tool's, never the model's. */
  filter?: string;
}

/**
 * Flags every search shares. `--no-config` keeps a user's RIPGREP_CONFIG_PATH from changing the
 * output we parse. `--no-require-git` applies .gitignore files in a directory that is not (yet) a
 * git repository too, as a user who wrote one expects. `!.git` keeps rg out of git's metadata even
 * when hidden files are searched.
 */
export const RG_COMMON_FLAGS: readonly string[] = ['--no-config', '--no-require-git', '--glob=!.git'];

/**
 * Bytes of output a search tool writes at most: under the runner's cut (16 KiB by default), so the
 * tool's own closing note, which says what was left out, is never the part that gets cut.
 */
export const SEARCH_OUTPUT_BYTES = 12 * 1024;

const STDERR_BYTES = 4000; // error messages kept; a flood of them must not push stdout out of the exec cap

/** Run `rg args...` in the sandbox. Throws only when rg cannot be run at all. */
export async function runRipgrep(ctx: ToolContext, args: readonly string[], options: RgOptions = {}): Promise<RgRun> {
  // A random marker: file names and contents cannot be crafted to look like it.
  const mark = `__sprout_rg_${Math.random().toString(36).slice(2)}`;
  const script = [
    'err=$(mktemp) || exit 125',
    `rg ${shellJoin(args)} 2>"$err"${options.filter ? ` | ${options.filter}` : ''}`,
    'rc=${PIPESTATUS[0]}',
    `printf '\\n%s\\n' ${mark}.err`,
    `head -c ${STDERR_BYTES} "$err"`,
    'rm -f "$err"',
    `printf '\\n%s %s\\n' ${mark}.rc "$rc"`,
  ].join('\n');
  const result = await ctx.sandbox.exec(script, {
    cwd: options.cwd,
    timeoutMs: ctx.limits.shellTimeoutMs,
    signal: ctx.signal,
    maxOutputBytes: ctx.limits.execOutputBytes,
  });
  const flags = { cut: result.omittedBytes > 0, timedOut: result.timedOut, aborted: result.aborted };
  const rcAt = result.output.lastIndexOf(`\n${mark}.rc `);
  const errAt = rcAt === -1 ? -1 : result.output.lastIndexOf(`\n${mark}.err\n`, rcAt);
  if (rcAt === -1 || errAt === -1) {
    // Killed (timeout, abort) before the markers: everything there is stdout.
    if (result.exitCode === 125) throw new Error(`could not create a temporary file for ripgrep: ${result.output.trim()}`);
    return { stdout: result.output, stderr: '', exitCode: null, ...flags };
  }
  const stderr = result.output.slice(errAt + mark.length + 6, rcAt).trim();
  const exitCode = Number.parseInt(result.output.slice(rcAt + mark.length + 5), 10);
  if (exitCode === 127) {
    throw new Error(`ripgrep (rg) could not be run in the sandbox (${stderr}); install ripgrep 13 or later and put it on PATH`);
  }
  return { stdout: result.output.slice(0, errAt), stderr, exitCode, ...flags };
}

/** Where a search runs: a path below the root, as rg and the model see it. */
export interface SearchTarget {
  /** Relative to the root, without `./`; `.` for the root itself. */
  rel: string;
  type: 'file' | 'directory';
}

/**
 * Resolve the model's path. Outside the root, resolvePath's PathOutsideError goes to the runner
 * as it is; a missing path is a ToolError naming it.
 */
export async function resolveTarget(ctx: ToolContext, path: string | undefined): Promise<SearchTarget> {
  const requested = path ?? '.';
  const real = await ctx.sandbox.resolvePath(requested);
  const info = await ctx.sandbox.stat(requested);
  if (!info) throw new ToolError(`path not found: ${requested} (paths are relative to the working directory)`);
  if (info.type === 'other') throw new ToolError(`${requested} is neither a file nor a directory`);
  const root = ctx.sandbox.root;
  const rel = real === root ? '.' : real.slice(root.length + 1);
  if (rel === '.git' || rel.startsWith('.git/')) {
    throw new ToolError(`${requested} is inside .git, which the search tools skip; use git commands through the shell tool`);
  }
  return { rel, type: info.type };
}

/** `base/path` for a path rg printed relative to `base`, without rg's leading `./`. */
export function joinRel(base: string, path: string): string {
  const clean = path.startsWith('./') ? path.slice(2) : path;
  return base === '.' ? clean : `${base}/${clean}`;
}

/**
 * True when a glob names a hidden file or directory (`.github/**`, `**\/.env*`), so the model is
 * clearly asking for hidden files, which rg skips unless told otherwise.
 */
export function globWantsHidden(glob: string | undefined): boolean {
  return glob !== undefined && !glob.startsWith('!') && /(^|\/)\.[^./]/.test(glob);
}

/**
 * Split output the exec cap may have cut into the lines before and after the cut, each without the
 * partial line at the cut, so a half path is never taken for a whole one.
 */
export function splitAtCut(stdout: string, cut: boolean): { head: string[]; tail: string[] } {
  const lines = stdout.split('\n');
  if (!cut) return { head: lines, tail: [] };
  const at = lines.findIndex((line) => /^\[\.\.\. \d+ bytes omitted \.\.\.\]$/.test(line));
  if (at === -1) return { head: lines, tail: [] };
  return { head: lines.slice(0, Math.max(0, at - 1)), tail: lines.slice(at + 2) };
}

/** The first lines of rg's error messages, for a note to the model. */
export function firstErrors(stderr: string, count = 3): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const more = lines.length > count ? ` (and ${lines.length - count} more)` : '';
  return lines.slice(0, count).join('; ') + more;
}
