// What a CI job takes away from a run: the unified diff of everything it changed (binary-safe,
// untracked files included, ignored ones not), and a commit of it on a branch. Host-side git with
// hooks off, as everywhere else.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHostGit } from '../../sandbox/git.js';
import { InputError } from '../errors.js';
import type { DiffStatFile } from '../session/records.js';

/** The commit a run started from; undefined outside git or in a repository with no commits. */
export async function startCommit(root: string): Promise<string | undefined> {
  try {
    return (await openHostGit(root).revparse(['HEAD'])).trim();
  } catch {
    return undefined;
  }
}

/**
 * Run `diff --cached ARGS BASE` with everything under the working directory staged on a throwaway
 * index (so the user's own index stays untouched), BASE being `start` or the empty tree.
 */
async function diffAgainstStart(root: string, start: string | undefined, args: string[]): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'sprout-index-'));
  try {
    const git = openHostGit(root, process.env, { GIT_INDEX_FILE: join(scratch, 'index') });
    if (start) await git.raw(['read-tree', start]);
    await git.raw(['add', '-A', '--', '.']);
    const base = start ?? (await git.raw(['hash-object', '-t', 'tree', '/dev/null'])).trim();
    return await git.raw(['diff', '--cached', ...args, base, '--', '.']);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The diff from `start` to the working tree, limited to the working directory, as `git apply` and `git am` take it. */
export function diffSince(root: string, start: string | undefined): Promise<string> {
  return diffAgainstStart(root, start, ['--binary', '--full-index']);
}

/** Lines added and removed per file since `start` (null counts for binary files). */
export async function diffStatSince(root: string, start: string | undefined): Promise<DiffStatFile[]> {
  const numstat = await diffAgainstStart(root, start, ['--numstat', '-z', '--no-renames']);
  const files: DiffStatFile[] = [];
  for (const entry of numstat.split('\0')) {
    const match = /^(\d+|-)\t(\d+|-)\t(.+)$/s.exec(entry);
    if (!match) continue;
    const count = (n: string): number | null => (n === '-' ? null : Number(n));
    files.push({ path: match[3]!, added: count(match[1]!), removed: count(match[2]!) });
  }
  return files;
}

/** Write the run's diff to `file`; returns its size in bytes. */
export async function writePatch(root: string, start: string | undefined, file: string): Promise<number> {
  const patch = await diffSince(root, start);
  await writeFile(file, patch);
  return Buffer.byteLength(patch);
}

export interface CommitOptions {
  branch?: string;
  message: string;
  author: { name: string; email: string };
}

/** Commit every change under the working directory, on a new branch if asked; undefined when nothing changed. */
export async function commitChanges(root: string, options: CommitOptions): Promise<{ commit: string; branch: string } | undefined> {
  const { name, email } = options.author;
  const git = openHostGit(root, process.env, {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
  });
  if (options.branch) {
    const exists = (await git.branchLocal()).all.includes(options.branch);
    if (exists) throw new InputError(`branch ${options.branch} already exists; pass another --branch name`);
    await git.raw(['switch', '-c', options.branch]);
  }
  await git.raw(['add', '-A', '--', '.']);
  const staged = (await git.raw(['diff', '--cached', '--name-only'])).trim();
  if (staged === '') return undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'sprout-msg-'));
  try {
    await writeFile(join(scratch, 'message'), options.message);
    await git.raw(['commit', '--no-verify', '-F', join(scratch, 'message')]);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { commit: (await git.revparse(['HEAD'])).trim(), branch: (await git.revparse(['--abbrev-ref', 'HEAD'])).trim() };
}
