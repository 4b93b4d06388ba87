// The repository config a door call runs under, listed by git and checked, is reused by the next
// call while none of the files that listing depends on has changed: each call otherwise starts a
// second git process just to read config that almost never changes during a run.
//
// Sound by construction, not by hope:
// - the listing depends only on files (the door gives git no system or global config, and the same
//   environment every time), so a fingerprint of those files covers it: the repository's config
//   and config.worktree, HEAD (an `includeIf "onbranch:"` follows it), the commondir link, every
//   file an entry came from and every include target, present or not (a missing include that
//   appears later changes the fingerprint);
// - a file's identity is its device, inode, size, and modification and change times in
//   nanoseconds, by lstat and by stat (a swapped symlink changes the first, a rewritten target the
//   second); the change time cannot be set back from user space;
// - a listing is kept only when no file in it changed within the last RACY_MS: a timestamp too close
//   to now could hide a second write in the same clock tick (git's own "racily clean" rule), and a
//   file changed while git was reading it is that recent when the fingerprint is taken.
import { lstat, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type ConfigEntry, includeTarget } from './git-config.js';

/** A file changed more recently than this is not trusted to show its next change in its timestamps. */
const RACY_MS = 1000;

/** The files a listing depends on, beyond the ones its entries name. */
export interface ConfigFiles {
  gitDir: string;
  commonDir: string;
  home: string | undefined;
}

/** Remembers the last accepted listing; `reuse` returns it only while its files are unchanged. */
export class ConfigListingCache {
  private kept: { fingerprint: string; entries: readonly ConfigEntry[] } | undefined;

  constructor(private readonly files: ConfigFiles) {}

  /** The kept listing when every file it depends on is as it was; undefined otherwise. */
  async reuse(): Promise<readonly ConfigEntry[] | undefined> {
    const kept = this.kept;
    if (!kept) return undefined;
    const now = await fingerprint(dependsOn(kept.entries, this.files));
    return now !== undefined && now === kept.fingerprint ? kept.entries : undefined;
  }

  /**
   * List with `list` (git) and fingerprint what the listing read; the caller checks the entries and
   * calls `keep` once they are accepted. A listing that took long is not kept: a file changed while
   * it ran must still look recent (RACY_MS) when the fingerprint is taken.
   */
  async list(list: () => Promise<readonly ConfigEntry[]>): Promise<{ entries: readonly ConfigEntry[]; keep: () => void }> {
    const started = Date.now();
    const entries = await list();
    const after = await fingerprint(dependsOn(entries, this.files));
    const quick = Date.now() - started < RACY_MS / 2;
    return { entries, keep: () => (this.kept = quick && after !== undefined ? { fingerprint: after, entries } : undefined) };
  }
}

/** The repository's own files, then every origin and include target. */
function dependsOn(entries: readonly ConfigEntry[], files: ConfigFiles): string[] {
  const base = [join(files.commonDir, 'config'), join(files.gitDir, 'config.worktree'), join(files.gitDir, 'HEAD'), join(files.gitDir, 'commondir')];
  const more = new Set<string>();
  for (const entry of entries) {
    if (entry.origin === '') continue; // the command line: the door's own, the same every call
    more.add(resolve(entry.origin));
    const target = includeTarget(entry, files.home);
    if (target !== undefined) more.add(target);
  }
  for (const file of base) more.delete(resolve(file));
  return [...base, ...[...more].sort()];
}

/** One line per file; undefined when one of them changed too recently to be trusted. */
async function fingerprint(paths: readonly string[]): Promise<string | undefined> {
  const lines = await Promise.all(paths.map(describe));
  return lines.includes(undefined) ? undefined : lines.join('\n');
}

async function describe(path: string): Promise<string | undefined> {
  const [link, target] = await Promise.all([lstat(path, { bigint: true }).catch(() => undefined), stat(path, { bigint: true }).catch(() => undefined)]);
  const recent = BigInt(Date.now() - RACY_MS) * 1_000_000n;
  for (const info of [link, target]) if (info && (info.mtimeNs > recent || info.ctimeNs > recent)) return undefined;
  const id = (info: typeof link) => (info ? `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : '-');
  return `${path}|${id(link)}|${id(target)}`;
}
