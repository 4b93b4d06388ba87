// A clean copy of a repository's base commit plus chosen paths from the working tree, for checks
// that must see "the code before the fix" while the model's tree stays untouched. Everything goes
// through the host-side git door with a throwaway index: the user's index, branches and work tree are
// never written, and symlinks are copied as links (git never follows them), so nothing outside the
// repository is read on the host.
import { lstat, mkdir, mkdtemp, realpath, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitDoor, openGitDoor } from './git.js';

/** Paths under `root` whose content differs from `base` (tracked or untracked, ignored ones not), sorted. */
export async function pathsChangedSince(root: string, base: string): Promise<string[]> {
  return withScratchIndex(root, async (git) => {
    await git(['read-tree', base]);
    await git(['add', '-A', '--', '.']);
    const out = await git(['diff', '--cached', '--relative', '--name-only', '-z', '--no-renames', base, '--', '.']);
    return out.split('\0').filter((p) => p !== '').sort();
  });
}

/** A base copy: its directory, and how to remove it. */
export interface BaseCopy {
  dir: string;
  remove(): Promise<void>;
}

/**
 * Write `base`'s tree of the working directory `root` into a new temporary directory, with `paths`
 * (relative to root) taken from the working tree as they are now (a deleted path is left out).
 * An untracked node_modules of root is linked in, so that the project's runner can start.
 */
export async function checkoutBaseWith(root: string, base: string, paths: readonly string[]): Promise<BaseCopy> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'sprout-base-')));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const prefix = (await (await openGitDoor(root)).run(['rev-parse', '--show-prefix'])).trim();
    await withScratchIndex(root, async (git) => {
      await git(['read-tree', base]);
      if (paths.length > 0) await git(['add', '-A', '--', ...paths]);
      // checkout-index writes the whole repository; the working directory's part is moved out below.
      await git(['checkout-index', '-a', '-f', `--prefix=${dir}/whole/`]);
    });
    const target = join(dir, 'tree');
    await rename(join(dir, 'whole', prefix), target).catch(() => mkdir(target, { recursive: true }));
    await rm(join(dir, 'whole'), { recursive: true, force: true });
    await linkNodeModules(root, target);
    return { dir: target, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function linkNodeModules(root: string, target: string): Promise<void> {
  const source = join(root, 'node_modules');
  const info = await lstat(source).catch(() => undefined);
  const present = await lstat(join(target, 'node_modules')).catch(() => undefined);
  if (info?.isDirectory() && !present) await symlink(source, join(target, 'node_modules'));
}

async function withScratchIndex<T>(root: string, work: (git: (args: string[]) => Promise<string>) => Promise<T>): Promise<T> {
  const scratch = await mkdtemp(join(tmpdir(), 'sprout-index-'));
  const door: GitDoor = await openGitDoor(root);
  try {
    // Literal pathspecs: a file named `*` or `:(glob)x` means itself, never a pattern.
    const env = { GIT_INDEX_FILE: join(scratch, 'index'), GIT_LITERAL_PATHSPECS: '1' };
    return await work((args) => door.run(args, { env }));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
