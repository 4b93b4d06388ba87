// What a CI job takes away from a run: the unified diff of everything it changed (binary-safe,
// untracked files included, ignored ones not), and a commit of it on a branch. All through the
// host-side git door opened when the run started, so a repository the model made is refused and
// nothing the repository's config names runs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitDoor } from '../../sandbox/git.js';
import { InputError } from '../errors.js';
import type { DiffStatFile } from '../session/records.js';

/**
 * Run `diff --cached ARGS BASE` with everything under the working directory staged on a throwaway
 * index (so the user's own index stays untouched), BASE being `start` or the empty tree.
 */
async function diffAgainstStart(door: GitDoor, start: string | undefined, args: string[]): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'sprout-index-'));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    if (start) await door.run(['read-tree', start], { env });
    await door.run(['add', '-A', '--', '.'], { env });
    const base = start ?? (await door.run(['hash-object', '-t', 'tree', '/dev/null'], { env })).trim();
    return await door.run(['diff', '--cached', ...args, base, '--', '.'], { env });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The diff from `start` to the working tree, limited to the working directory, as `git apply` and `git am` take it. */
export function diffSince(door: GitDoor, start: string | undefined): Promise<string> {
  return diffAgainstStart(door, start, ['--binary', '--full-index']);
}

/** Lines added and removed per file since `start` (null counts for binary files). */
export async function diffStatSince(door: GitDoor, start: string | undefined): Promise<DiffStatFile[]> {
  const numstat = await diffAgainstStart(door, start, ['--numstat', '-z', '--no-renames']);
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
export async function writePatch(door: GitDoor, start: string | undefined, file: string): Promise<number> {
  const patch = await diffSince(door, start);
  await writeFile(file, patch);
  return Buffer.byteLength(patch);
}

export interface CommitOptions {
  branch?: string;
  message: string;
  author: { name: string; email: string };
}

/** Commit every change under the working directory, on a new branch if asked; undefined when nothing changed. */
export async function commitChanges(door: GitDoor, options: CommitOptions): Promise<{ commit: string; branch: string } | undefined> {
  const { name, email } = options.author;
  const env = { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
  if (options.branch) {
    const exists = (await door.run(['branch', '--list', '--format=%(refname:short)', '--', options.branch])).trim() !== '';
    if (exists) throw new InputError(`branch ${options.branch} already exists; pass another --branch name`);
    await door.run(['switch', '-c', options.branch]);
  }
  await door.run(['add', '-A', '--', '.']);
  const staged = (await door.run(['diff', '--cached', '--name-only'])).trim();
  if (staged === '') return undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'sprout-msg-'));
  try {
    await writeFile(join(scratch, 'message'), options.message);
    await door.run(['commit', '--no-verify', '-F', join(scratch, 'message')], { env });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const commit = (await door.run(['rev-parse', 'HEAD'])).trim();
  return { commit, branch: (await door.run(['rev-parse', '--abbrev-ref', 'HEAD'])).trim() };
}
