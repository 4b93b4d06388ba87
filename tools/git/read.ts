// The git tool's read commands: status, diff, log, show and blame, as plain text for the model.
// Nothing here writes: these run with --no-optional-locks, so a status beside an add in the same turn
// cannot take the index lock the add needs.
import type { ToolContext, ToolOutput } from '../define-tool.js';
import { gitPaths, type Repo } from './repo.js';
import type { GitArgs } from './schema.js';

/** Characters of a diff, show or blame kept before cutting; leaves room under the runner's 16 KiB cap. */
export const DIFF_CHARS = 12_000;
const LOG_DEFAULT = 20; // commits log lists unless max_count says otherwise

/** What a command gets: its arguments, the checked repository and the tool context. */
export interface GitCall {
  args: GitArgs;
  repo: Repo;
  ctx: ToolContext;
}

/** `-- paths` for git, confined to the working directory; empty when no paths were given. */
export async function pathOperands(call: GitCall, paths = call.args.paths): Promise<string[]> {
  return paths ? ['--', ...(await gitPaths(call.ctx.sandbox, paths))] : [];
}

export async function status(call: GitCall): Promise<string> {
  const out = (await call.repo.read(['status', '--short', '--branch', ...(await pathOperands(call))])).trimEnd();
  if (out.split('\n').length > 1) return out;
  return `${out}\n${call.args.paths ? 'no changes under those paths' : 'nothing to commit, working tree clean'}`;
}

export async function diff(call: GitCall): Promise<ToolOutput> {
  const { staged, ref } = call.args;
  const options = ['--no-ext-diff', '--no-textconv', '--no-color', ...(staged ? ['--cached'] : []), ...(ref ? [ref] : [])];
  const paths = await pathOperands(call);
  const patch = (await call.repo.read(['diff', ...options, ...paths])).trimEnd();
  if (patch === '') return { output: `no ${describeDiff(staged, ref)}` };
  if (patch.length <= DIFF_CHARS) return { output: patch };
  // A cut diff hides whole files; the stat lists them all so the model can ask for one by path.
  const stat = (await call.repo.read(['diff', ...options, '--stat', ...paths])).trimEnd();
  return { output: `${stat}\n\n${cutText(patch, 'pass `paths` to see the rest one file at a time')}`, details: { cut: true } };
}

function describeDiff(staged: boolean | undefined, ref: string | undefined): string {
  if (staged && ref) return `differences between the index and ${ref}`;
  if (staged) return 'staged changes (the index matches HEAD)';
  if (ref) return `differences between the working tree and ${ref}`;
  return 'unstaged changes (staged: true shows staged ones; status lists untracked files)';
}

export async function log(call: GitCall): Promise<string> {
  const count = call.args.max_count ?? LOG_DEFAULT;
  const args = ['log', `--max-count=${count}`, '--date=short', '--format=%h %ad %an: %s', ...(call.args.ref ? [call.args.ref] : [])];
  const lines = (await call.repo.read([...args, ...(await pathOperands(call))])).trimEnd();
  if (lines === '') return 'no commits';
  const shown = lines.split('\n').length;
  return shown === count ? `${lines}\n(the latest ${count} commits; raise max_count for more)` : lines;
}

export async function show(call: GitCall): Promise<string> {
  const args = ['show', '--no-ext-diff', '--no-textconv', '--no-color', '--stat', '--patch', '--date=iso', call.args.ref ?? 'HEAD'];
  const out = (await call.repo.read([...args, ...(await pathOperands(call))])).trimEnd();
  return cutText(out, 'pass `paths` to see one file at a time');
}

export async function blame(call: GitCall): Promise<string> {
  const { path = '', start_line, end_line, ref } = call.args;
  const range = start_line !== undefined || end_line !== undefined ? ['-L', `${start_line ?? 1},${end_line ?? ''}`] : [];
  const args = ['blame', '--no-textconv', '--root', '--date=short', ...range, ...(ref ? [ref] : [])];
  const out = (await call.repo.read([...args, ...(await pathOperands(call, [path]))])).trimEnd();
  return cutText(out, 'pass start_line and end_line to blame a part of the file');
}

/** Keep the head of `text` up to DIFF_CHARS, cut at a line end, with a note of what was left out. */
export function cutText(text: string, hint: string): string {
  if (text.length <= DIFF_CHARS) return text;
  const end = text.lastIndexOf('\n', DIFF_CHARS);
  const head = text.slice(0, end > 0 ? end : DIFF_CHARS);
  const total = text.split('\n').length;
  const kept = head.split('\n').length;
  return `${head}\n[... cut: showed ${kept} of ${total} lines; ${hint}]`;
}
