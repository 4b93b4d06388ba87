// What each step of a run did to the files: after every batch of tool calls, the tree is compared
// with the previous step (shell commands included, not only file tools) and every changed path is
// reported as added, modified, deleted or moved, with its lines added and removed. Host-side and
// read-only; symlinks are compared as their target text and never followed.
import { lstat, readFile, readlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type OpenedSnapshotter, openSnapshotter, type Snapshot } from './changes.js';
import type { GitDoor } from './git.js';

const CONTENT_LIMIT = 1024 * 1024; // bytes of a file kept and line-diffed; larger files get no line counts
const MAX_EDIT_LENGTH = 20_000; // diff effort cap; a bigger rewrite gets no line counts

/** One changed path of one step. */
export interface FileChange {
  path: string;
  kind: 'added' | 'modified' | 'deleted' | 'moved';
  /** For `moved`: where the file was. */
  from?: string;
  /** Lines added and removed; null when unknown (binary, too large, or no earlier copy outside git). */
  added: number | null;
  removed: number | null;
}

/** A file's content: bytes, `null` when there is no file, `undefined` when not known. */
type Content = Buffer | null | undefined;

/** Start watching `root` (or from `snapshots`, opened once for several trackers); each `step()` returns the changes since the previous one (or the start). */
export async function trackFileChanges(root: string, door?: GitDoor, snapshots?: OpenedSnapshotter): Promise<{ step(): Promise<FileChange[]> }> {
  const snapshotter = snapshots ?? (await openSnapshotter(root, door));
  let previous = snapshotter.first;
  let known = new Map<string, Content>();
  // In git the snapshot lists only files that differ from the commit, few enough to keep; a tree walk
  // lists every file, so there only what a step changes is kept.
  if (snapshotter.partial) for (const path of previous.keys()) known.set(path, await readContent(root, path));
  // A path with no kept content: in git, what the commit has; in a walk, new if the last walk missed it.
  const unseen = async (path: string): Promise<Content> =>
    snapshotter.partial ? snapshotter.base?.(path) : previous.has(path) ? undefined : null;
  return {
    async step() {
      const current = await snapshotter.take();
      const changes: Array<{ path: string; before: Content; after: Content }> = [];
      for (const path of changedPaths(previous, current)) {
        const before = known.has(path) ? known.get(path) : await unseen(path);
        changes.push({ path, before, after: await readContent(root, path) });
      }
      // Remember the content of every path the snapshot lists, for the next step's "before".
      const changed = new Map(changes.map((c) => [c.path, c.after]));
      const next = new Map<string, Content>();
      for (const path of current.keys()) {
        if (changed.has(path) || known.has(path)) next.set(path, changed.has(path) ? changed.get(path) : known.get(path));
      }
      [previous, known] = [current, next];
      return describe(changes);
    },
  };
}

/** Paths whose fingerprint differs between two snapshots, sorted. */
function changedPaths(before: Snapshot, after: Snapshot): string[] {
  const paths = new Set<string>();
  for (const [path, print] of after) if (before.get(path) !== print) paths.add(path);
  for (const path of before.keys()) if (!after.has(path)) paths.add(path);
  return [...paths].sort();
}

/** A file's bytes (a symlink's target text), null when it does not exist, undefined when too large. */
async function readContent(root: string, path: string): Promise<Content> {
  const full = join(root, path);
  const info = await lstat(full).catch(() => undefined);
  if (!info) return null;
  if (info.isSymbolicLink()) return Buffer.from(await readlink(full).catch(() => ''));
  if (!info.isFile() || info.size > CONTENT_LIMIT) return undefined;
  return readFile(full).catch(() => undefined);
}

/** Kinds and line counts; a deleted and an added file with the same bytes are one move. */
function describe(changes: Array<{ path: string; before: Content; after: Content }>): FileChange[] {
  const out: FileChange[] = [];
  const deleted = changes.filter((c) => c.before !== null && c.after === null);
  const moves = new Map<string, string>(); // new path -> old path
  for (const added of changes.filter((c) => c.before === null && c.after)) {
    const source = deleted.find((d) => d.before && !moves.has(d.path) && ![...moves.values()].includes(d.path) && d.before.equals(added.after!));
    if (source) moves.set(added.path, source.path);
  }
  const movedFrom = new Set(moves.values());
  for (const change of changes) {
    if (movedFrom.has(change.path)) continue;
    const from = moves.get(change.path);
    if (from !== undefined) {
      out.push({ path: change.path, kind: 'moved', from, added: 0, removed: 0 });
      continue;
    }
    const kind = change.before === null ? 'added' : change.after === null ? 'deleted' : 'modified';
    out.push({ path: change.path, kind, ...lineCounts(change.before, change.after) });
  }
  return out;
}

/** Lines added and removed between two contents, as `git diff --numstat` counts them. */
export function lineCounts(before: Content, after: Content): { added: number | null; removed: number | null } {
  const unknown = { added: null, removed: null };
  if (before === undefined || after === undefined) return unknown;
  const [a, b] = [before ?? Buffer.alloc(0), after ?? Buffer.alloc(0)];
  if (a.includes(0) || b.includes(0)) return unknown; // binary
  // The diff library loads with the first changed file to count, not with every run.
  const { diffLines } = createRequire(import.meta.url)('diff') as typeof import('diff');
  const parts = diffLines(a.toString('utf8'), b.toString('utf8'), { maxEditLength: MAX_EDIT_LENGTH });
  if (!parts) return unknown;
  let added = 0;
  let removed = 0;
  for (const part of parts) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  return { added, removed };
}
