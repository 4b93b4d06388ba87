// Where a task runs, so that tasks never see each other's changes: for a directory in a git
// repository, a worktree of the repository's HEAD on a new branch `sprout/<batch>/<id>` under the
// batch directory (the child's -C is the same subdirectory inside it); for any other directory, a
// copy with a throwaway git repository and one commit, so the child's --patch-out has a base.
// Host-side git through the door (sandbox/git.ts), as everywhere else.
import { existsSync, realpathSync } from 'node:fs';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { initRepository, openGitDoor } from '../../sandbox/git.js';
import { InputError } from '../errors.js';

/** A task's isolated working copy. */
export interface Workspace {
  /** The worktree or copy. */
  root: string;
  /** The child's working directory inside it. */
  workdir: string;
  /** The repository the worktree belongs to; undefined for a copy. */
  repo?: string;
  branch?: string;
}

export interface WorkspaceRequest {
  id: string;
  cwd: string;
  batchName: string;
  /** Where worktrees go: <batchdir>/worktrees. */
  worktrees: string;
  /** The batch directory, never copied into a copy of a directory that contains it. */
  batchDir: string;
  /** The batch made this task's worktree and branch before: remove them instead of refusing. */
  replace: boolean;
  /** The commit to start from instead of HEAD (git only). */
  base?: string;
}

const AUTHOR = { GIT_AUTHOR_NAME: 'sprout', GIT_AUTHOR_EMAIL: 'sprout@users.noreply.github.com', GIT_COMMITTER_NAME: 'sprout', GIT_COMMITTER_EMAIL: 'sprout@users.noreply.github.com' };

/** Tasks of one repository change its .git (worktree list, refs) one at a time. */
const repoQueues = new Map<string, Promise<unknown>>();
function serial<T>(key: string, work: () => Promise<T>): Promise<T> {
  const next = (repoQueues.get(key) ?? Promise.resolve()).then(work, work);
  repoQueues.set(key, next.catch(() => undefined));
  return next;
}

/** The top of the git work tree containing `dir`, or undefined outside git. */
async function repoTop(dir: string): Promise<string | undefined> {
  try {
    const top = (await openGitDoor(dir)).repo?.top;
    return top === undefined ? undefined : realpathSync(top);
  } catch {
    return undefined;
  }
}

/** Make the task's worktree (or copy). Throws InputError with what to do when it cannot. */
export async function createWorkspace(request: WorkspaceRequest): Promise<Workspace> {
  const root = join(request.worktrees, request.id);
  const cwd = realpathSync(request.cwd);
  const top = await repoTop(cwd);
  if (!top) return copyWorkspace(cwd, root, request);
  const branch = `sprout/${request.batchName}/${request.id}`;
  await serial(top, async () => {
    if (request.replace) await dropWorktree(top, root, branch);
    try {
      await (await openGitDoor(top)).run(['worktree', 'add', '-q', '-b', branch, root, request.base ?? 'HEAD']);
    } catch (error) {
      const reason = error instanceof Error ? error.message.trim().split('\n')[0] : String(error);
      throw new InputError(`cannot make a worktree of ${top} for task ${request.id} (${reason}); if branch ${branch} is left from an earlier batch, delete it (git branch -D ${branch}) or pass --name`);
    }
  });
  const workdir = join(root, relative(top, cwd));
  if (!existsSync(workdir)) {
    throw new InputError(`${cwd} is not in the last commit of ${top}, so its worktree lacks it; commit the directory first`);
  }
  return { root, workdir, repo: top, branch };
}

/** Copy a non-git directory and commit the copy, so that the run's patch is against the original. */
async function copyWorkspace(cwd: string, root: string, request: WorkspaceRequest): Promise<Workspace> {
  await rm(root, { recursive: true, force: true });
  const batchDir = existsSync(request.batchDir) ? realpathSync(request.batchDir) : request.batchDir;
  await copyExcept(cwd, root, batchDir);
  // A stray .git (a file pointing elsewhere, a broken repository) is not copied into sprout's own.
  await rm(join(root, '.git'), { recursive: true, force: true });
  const git = await initRepository(root);
  await git.run(['add', '-A']);
  await git.run(['commit', '-q', '--allow-empty', '--no-verify', '-m', `sprout batch: copy of ${cwd}`], { env: AUTHOR });
  return { root, workdir: root };
}

/**
 * Copy `src` to `dest` without `skip` (the batch directory, which the default .sprout-batch/ puts
 * inside the copied directory). fs.cp refuses a destination inside its source, so the folders on
 * the way down to `skip` are walked by hand and everything else is copied whole.
 */
async function copyExcept(src: string, dest: string, skip: string): Promise<void> {
  if (src === skip) return;
  if (!skip.startsWith(src + sep)) {
    await cp(src, dest, { recursive: true, verbatimSymlinks: true });
    return;
  }
  await mkdir(dest, { recursive: true });
  for (const entry of await readdir(src)) await copyExcept(join(src, entry), join(dest, entry), skip);
}

/** Remove a worktree and its branch that an earlier attempt of this task made. */
async function dropWorktree(repo: string, root: string, branch: string): Promise<void> {
  const git = await openGitDoor(repo);
  await git.run(['worktree', 'remove', '--force', root]).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
  await git.run(['worktree', 'prune']).catch(() => undefined);
  await git.run(['branch', '-D', branch]).catch(() => undefined);
}

/**
 * Remove a finished task's worktree or copy; its branch (or patch) holds the work. `emptyBranch`
 * names a branch the task made no commit on, deleted too so that only branches with work remain.
 */
export async function removeWorkspace(root: string, repo: string | undefined, emptyBranch?: string): Promise<void> {
  if (repo) {
    await serial(repo, async () => {
      const git = await openGitDoor(repo);
      await git.run(['worktree', 'remove', '--force', root]).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
      await git.run(['worktree', 'prune']).catch(() => undefined);
      if (emptyBranch) await git.run(['branch', '-D', emptyBranch]).catch(() => undefined);
    });
  } else {
    await rm(root, { recursive: true, force: true });
  }
}
