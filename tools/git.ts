// git: the model's only way to change a repository's history and index. Inside the sandbox `.git` is
// read-only, so this tool runs git on the host through the host-side git door (sandbox/git.ts: the
// run's own repository only, and nothing its config names runs), with a fixed set of commands and
// fields instead of free-form arguments:
// network operations, force options and history rewriting cannot be expressed, and are refused with
// a reason when the model reaches for them.
import type { CallFootprint, ToolOutput } from './define-tool.js';
import { defineTool } from './define-tool.js';
import * as read from './git/read.js';
import { openRepo } from './git/repo.js';
import { gitParameters, type GitArgs, type GitCommand } from './git/schema.js';
import * as write from './git/write.js';

const RUN: Record<GitCommand, (call: read.GitCall) => Promise<ToolOutput | string>> = {
  status: read.status,
  diff: read.diff,
  log: read.log,
  show: read.show,
  blame: read.blame,
  add: write.add,
  commit: write.commit,
  branch: write.branch,
  switch: write.switchBranch,
  checkout: write.checkout,
  restore: write.restore,
  stash: write.stash,
};

/** Commands that change the repository or the files, whatever their fields. */
const WRITES = new Set<GitCommand>(['add', 'commit', 'switch', 'checkout', 'restore']);
/** Writes limited to the paths they name: ordered with edits of those files in the same turn. */
const PATH_SCOPED = new Set<GitCommand>(['add', 'checkout', 'restore']);

/** Writes take the `git-write` lock (one at a time, in the model's order); reads run beside anything. */
export function gitFootprint(args: GitArgs): CallFootprint {
  const writes =
    WRITES.has(args.command) ||
    (args.command === 'branch' && args.name !== undefined) ||
    (args.command === 'stash' && args.action !== 'list');
  if (!writes) return {};
  return PATH_SCOPED.has(args.command) && args.paths ? { locks: ['git-write'], paths: args.paths } : { locks: ['git-write'] };
}

export const git = defineTool({
  name: 'git',
  description:
    'Run git on the repository: `command` plus the fields it uses. No network, reset, clean, rebase, ' +
    'amend, merge or force; undo with restore or checkout of paths. Commit hooks never run.',
  parameters: gitParameters,
  footprint: gitFootprint,
  async execute(args, ctx) {
    const repo = await openRepo(ctx);
    const result = await RUN[args.command]({ args, repo, ctx });
    if (repo.disabled.size === 0) return result;
    // Say what was switched off, so that a filtered or converted file's odd diff is explained.
    const note = `\n(host-side git ignored the repository config's ${[...repo.disabled].join(', ')}: sprout never runs a program a repository names)`;
    return typeof result === 'string' ? result + note : { ...result, output: result.output + note };
  },
});
