// The git tool's write commands: add, commit, branch, switch, checkout, restore and stash. None of
// them takes a force option, and the ones that discard changes do so only for paths the model named.
import { ToolError, type ToolOutput } from '../define-tool.js';
import { pathOperands, status, type GitCall } from './read.js';

/** Who commits when the config names nobody. */
export const DEFAULT_AUTHOR = { name: 'sprout', email: 'sprout@users.noreply.github.com' };

export async function add(call: GitCall): Promise<string> {
  await call.repo.write(['add', ...(await pathOperands(call))]);
  return `Staged ${list(call.args.paths)}.\n${await status({ ...call, args: { command: 'status' } })}`;
}

export async function commit(call: GitCall): Promise<ToolOutput> {
  const staged = (await call.repo.read(['diff', '--cached', '--name-only', '--no-ext-diff'])).trim();
  if (staged === '') {
    const now = await status({ ...call, args: { command: 'status' } });
    throw new ToolError(`nothing to commit: no changes are staged, so no commit was made. Stage files with \`add\` first.\n${now}`);
  }
  const author = call.ctx.gitAuthor ?? DEFAULT_AUTHOR;
  // Set as config, not --author, so that the committer is the same and no user identity is needed.
  const identity = [`user.name=${author.name}`, `user.email=${author.email}`];
  // --no-verify on top of the disabled hooks path: no pre-commit or commit-msg hook, whatever the config.
  const out = await call.repo.write(['commit', '--no-verify', `--message=${call.args.message ?? ''}`], identity);
  const hash = (await call.repo.read(['rev-parse', 'HEAD'])).trim();
  return { output: `${out.trim()}\nAuthor: ${author.name} <${author.email}>`, details: { commit: hash } };
}

export async function branch(call: GitCall): Promise<string> {
  const { name, ref } = call.args;
  if (name === undefined) {
    const format = '--format=%(HEAD) %(refname:short) %(objectname:short) %(contents:subject)';
    const out = (await call.repo.read(['branch', '--list', '--no-color', format])).trimEnd();
    return out === '' ? 'no branches yet (the repository has no commits)' : out;
  }
  await call.repo.write(['branch', '--', name, ...(ref ? [ref] : [])]);
  const at = (await call.repo.read(['log', '-1', '--format=%h %s', name, '--'])).trim();
  return `Created branch ${name} at ${at} (still on the current branch; use switch to move to it)`;
}

export async function switchBranch(call: GitCall): Promise<string> {
  const { name = '', create, ref } = call.args;
  // No --discard-changes or --force: git refuses a switch that would overwrite local changes.
  await call.repo.write(['switch', ...(create ? ['--create', name, ...(ref ? [ref] : [])] : [name])]);
  const now = await status({ ...call, args: { command: 'status' } });
  return `Switched to ${create ? 'a new ' : ''}branch ${name}.\n${now}`;
}

export async function checkout(call: GitCall): Promise<string> {
  const { ref } = call.args;
  await call.repo.write(['checkout', ...(ref ? [ref] : []), ...(await pathOperands(call))]);
  const from = ref ? `${ref} (their staged versions too)` : 'the index (unstaged changes to them were discarded)';
  return `Restored ${list(call.args.paths)} from ${from}.`;
}

export async function restore(call: GitCall): Promise<string> {
  const { staged } = call.args;
  await call.repo.write(['restore', ...(staged ? ['--staged'] : []), ...(await pathOperands(call))]);
  return staged
    ? `Unstaged ${list(call.args.paths)}; the files themselves are unchanged.`
    : `Restored ${list(call.args.paths)} from the index; their unstaged changes were discarded.`;
}

export async function stash(call: GitCall): Promise<string> {
  const { action = 'push', message, ref } = call.args;
  if (action === 'list') {
    const out = (await call.repo.read(['stash', 'list'])).trimEnd();
    return out === '' ? 'no stashes' : out;
  }
  if (action === 'push') {
    // From a subdirectory, stash only what lies under it: the rest of the repository is not the model's.
    const scope = call.repo.atTop ? [] : ['--', '.'];
    const out = (await call.repo.write(['stash', 'push', ...(message ? [`--message=${message}`] : []), ...scope])).trim();
    return `${out || 'Stashed the changes.'}\n(untracked files are not stashed)`;
  }
  const which = ref === undefined ? [] : [/^\d+$/.test(ref) ? `stash@{${ref}}` : ref];
  const out = (await call.repo.write(['stash', action, ...which])).trim();
  return out || `Applied the stash${action === 'pop' ? ' and dropped it' : ''}.`;
}

function list(paths: readonly string[] | undefined): string {
  return (paths ?? []).join(', ');
}
