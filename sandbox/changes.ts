// Which files a run changed. In a git repository: every path whose content differs from what it was
// when the run began (tracked or untracked, ignored files excepted). Elsewhere: a size and mtime
// walk of the tree. Runs on the host, read-only, with git hooks disabled.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { MAX_READ_BYTES } from './confined-files.js';

const WALK_LIMIT = 20_000; // files compared outside git before giving up on the rest
const SKIP_DIRS = new Set(['.git', 'node_modules']);

/** A picture of the tree at one moment: path -> fingerprint. */
type Snapshot = Map<string, string>;

/** Take a snapshot now; `changedFiles()` later lists what differs from it, sorted. */
export async function trackChanges(root: string): Promise<{ changedFiles(): Promise<string[]> }> {
  const git = await openRepo(root);
  const head = git ? await revParseHead(git) : undefined;
  const take = (): Promise<Snapshot> => (git ? gitSnapshot(git, root, head) : walkSnapshot(root));
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
  // simple-git loads here, not at start-up: the snapshot runs while the first request is out.
  const { openHostGit } = await import('./git.js');
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
