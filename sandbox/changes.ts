// Which files a run changed. In a git repository: every path whose content differs from what it was
// when the run began (tracked or untracked, ignored files excepted). Elsewhere: a size and mtime
// walk of the tree. Runs on the host, read-only, through the host-side git door: a repository the
// door refuses at the end (the model made one at the working directory) makes changedFiles throw
// its GitRefusedError, for the run to report.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { MAX_READ_BYTES } from './confined-files.js';
import { GitRefusedError, headCommit, openGitDoor, type GitDoor } from './git.js';

const WALK_LIMIT = 20_000; // files compared outside git before giving up on the rest
const SKIP_DIRS = new Set(['.git', 'node_modules']);
const FINGERPRINT_BATCH = 32; // files read at once for a snapshot

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

/** A Snapshotter together with the snapshot it took when opened (the run's start). */
export type OpenedSnapshotter = Snapshotter & { first: Snapshot };

/**
 * How `root` is snapshotted: through the git door when it is in a repository the door accepts,
 * else by walking it. A repository the door refuses from the start (its config includes a
 * model-writable file) is walked instead.
 */
export async function openSnapshotter(root: string, door?: GitDoor): Promise<OpenedSnapshotter> {
  const git = door ?? (await openGitDoor(root));
  const walk = async (): Promise<OpenedSnapshotter> => ({ take: () => walkSnapshot(root), partial: false, first: await walkSnapshot(root) });
  if (!git.repo) return walk();
  const head = await headCommit(git);
  const take = (): Promise<Snapshot> => gitSnapshot(git, root, head);
  try {
    const first = await take();
    return {
      take,
      partial: true,
      first,
      // `HEAD:./path` is relative to the working directory, like the snapshot's paths.
      base: async (path) => (head ? git.run(['show', `${head}:./${path}`]).then((text) => Buffer.from(text), () => null) : null),
    };
  } catch (error) {
    if (!(error instanceof GitRefusedError)) throw error;
    return walk();
  }
}

/**
 * Take a snapshot now (or start from `snapshots`, opened once for several trackers); `changedFiles()`
 * later lists what differs from it, sorted.
 */
export async function trackChanges(root: string, door?: GitDoor, snapshots?: OpenedSnapshotter): Promise<{ changedFiles(): Promise<string[]> }> {
  const { take, first: before } = snapshots ?? (await openSnapshotter(root, door));
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

/** Paths that differ from the run's starting commit, plus untracked ones, each with a content hash. */
async function gitSnapshot(git: GitDoor, root: string, head: string | undefined): Promise<Snapshot> {
  // Both commands print paths relative to the working directory (diff needs --relative for that).
  const tracked = head
    ? ['diff', '--relative', '--name-only', '-z', '--no-renames', head, '--', '.']
    : ['ls-files', '-z', '--', '.'];
  const untracked = ['ls-files', '-z', '--others', '--exclude-standard', '--', '.'];
  const listed = await Promise.all([git.run(tracked), git.run(untracked)]);
  const paths = [...new Set(listed.flatMap(splitZ))];
  const snapshot: Snapshot = new Map();
  // A few files at a time: a tree the model filled with untracked files must not exhaust descriptors.
  for (let i = 0; i < paths.length; i += FINGERPRINT_BATCH) {
    const batch = paths.slice(i, i + FINGERPRINT_BATCH);
    const prints = await Promise.all(batch.map((path) => fingerprint(join(root, path))));
    batch.forEach((path, j) => snapshot.set(path, prints[j]!));
  }
  return snapshot;
}

/**
 * What a path holds, without ever blocking or filling memory on what the model left there: a
 * symlink by its target, a FIFO, socket or device by its kind (opening a FIFO would wait forever),
 * a file over MAX_READ_BYTES by size and mtime, any other file by a hash of its content.
 */
async function fingerprint(path: string): Promise<string> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return 'missing';
  if (info.isSymbolicLink()) return `link:${await readlink(path).catch(() => '')}`;
  if (!info.isFile()) return `special:${info.mode}`;
  if (info.size > MAX_READ_BYTES) return `large:${info.size}:${info.mtimeMs}`;
  try {
    // O_NONBLOCK and the fstat check: a FIFO swapped in after the lstat is not waited on or read.
    const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const now = await file.stat();
      if (!now.isFile() || now.size > MAX_READ_BYTES) return `changed:${now.size}:${now.mtimeMs}`;
      return createHash('sha1').update(await file.readFile()).digest('hex');
    } finally {
      await file.close();
    }
  } catch {
    return 'unreadable';
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
