// Which files a run changed. In a git repository: every path whose content differs from what it was
// when the run began (tracked or untracked, ignored files excepted). Elsewhere: a size and mtime
// walk of the tree. Runs on the host, read-only, with git hooks disabled.
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { openHostGit } from './git.js';

const WALK_LIMIT = 20_000; // files compared outside git before giving up on the rest
const SKIP_DIRS = new Set(['.git', 'node_modules']);

/** A picture of the tree at one moment: path -> fingerprint. */
export type Snapshot = Map<string, string>;

/** Takes snapshots of `root`; in git, `base(path)` is a file's content at the starting commit (null: not there). */
export interface Snapshotter {
  take(): Promise<Snapshot>;
  /** Undefined outside git, where there is no record of what a file held. */
  base?(path: string): Promise<Buffer | null>;
  /** True in git, where a snapshot lists only paths that differ from the starting commit. */
  partial: boolean;
}

/** How `root` is snapshotted: by git when it is in a repository, else by walking it. */
export async function openSnapshotter(root: string): Promise<Snapshotter> {
  const git = await openRepo(root);
  if (!git) return { take: () => walkSnapshot(root), partial: false };
  const head = await revParseHead(git);
  return {
    take: () => gitSnapshot(git, root, head),
    partial: true,
    async base(path) {
      if (!head) return null;
      // `HEAD:./path` is relative to the working directory, like the snapshot's paths.
      return git.showBuffer([`${head}:./${path}`]).catch(() => null);
    },
  };
}

/** Take a snapshot now; `changedFiles()` later lists what differs from it, sorted. */
export async function trackChanges(root: string): Promise<{ changedFiles(): Promise<string[]> }> {
  const { take } = await openSnapshotter(root);
  const before = await take();
  return {
    async changedFiles() {
      const after = await take();
      const changed = new Set<string>();
      for (const [path, print] of after) if (before.get(path) !== print) changed.add(path);
      for (const path of before.keys()) if (!after.has(path)) changed.add(path);
      return [...changed].sort();
    },
  };
}

async function openRepo(root: string): Promise<SimpleGit | undefined> {
  const git = openHostGit(root);
  try {
    const top = (await git.revparse(['--show-toplevel'])).trim();
    return top ? git : undefined;
  } catch {
    return undefined;
  }
}

async function revParseHead(git: SimpleGit): Promise<string | undefined> {
  try {
    return (await git.revparse(['HEAD'])).trim();
  } catch {
    return undefined; // a repository with no commits yet
  }
}

/** Paths that differ from the run's starting commit, plus untracked ones, each with a content hash. */
async function gitSnapshot(git: SimpleGit, root: string, head: string | undefined): Promise<Snapshot> {
  // Both commands print paths relative to the working directory (diff needs --relative for that).
  const tracked = head
    ? ['diff', '--relative', '--name-only', '-z', '--no-renames', head, '--', '.']
    : ['ls-files', '-z', '--', '.'];
  const untracked = ['ls-files', '-z', '--others', '--exclude-standard', '--', '.'];
  const paths = new Set([...splitZ(await git.raw(tracked)), ...splitZ(await git.raw(untracked))]);
  const snapshot: Snapshot = new Map();
  for (const path of paths) snapshot.set(path, await fingerprint(join(root, path)));
  return snapshot;
}

async function fingerprint(path: string): Promise<string> {
  try {
    return createHash('sha1').update(await readFile(path)).digest('hex');
  } catch {
    return 'missing';
  }
}

async function walkSnapshot(root: string): Promise<Snapshot> {
  const snapshot: Snapshot = new Map();
  const queue = [root];
  while (queue.length > 0 && snapshot.size < WALK_LIMIT) {
    const dir = queue.pop() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) queue.push(full);
      } else if (entry.isFile()) {
        const info = await stat(full).catch(() => undefined);
        if (info) snapshot.set(relative(root, full), `${info.size}:${info.mtimeMs}`);
      }
    }
  }
  return snapshot;
}

function splitZ(output: string): string[] {
  return output.split('\0').filter((s) => s !== '');
}
