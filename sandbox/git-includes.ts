// Whether a config file that the repository's config includes could be written by the model. Git
// re-reads included files on every call, so one the model can write could add a driver between the
// door's enumeration and git's own read. Paths are not compared as strings (that is what
// /proc/self/cwd/... or a bind mount defeats): the path is resolved one component at a time, refused
// when it passes through /proc or /dev (whose links mean something else in each process), and the
// directories above the result are compared with the writable ones by device and inode.
import { lstat, readlink, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';

/** Symlinks followed before a path is given up on, as the kernel does (ELOOP). */
const MAX_LINKS = 40;

/** Places the model may write, and the git metadata inside them the sandbox keeps read-only. */
export interface WritablePlaces {
  writable: readonly string[];
  protectedDirs: readonly string[];
}

/** The path with every symlink resolved by hand; undefined when it passes through /proc or /dev. */
async function resolveByHand(path: string): Promise<string | undefined> {
  const pending = path.split(sep).filter(Boolean);
  let current = '/';
  let links = 0;
  while (pending.length > 0) {
    const next = join(current, pending.shift() as string);
    if (next === '/proc' || next === '/dev') return undefined;
    const info = await lstat(next).catch(() => undefined);
    if (!info) return join(next, ...pending); // does not exist (yet): its parents decide
    if (!info.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++links > MAX_LINKS) return undefined;
    const target = await readlink(next);
    pending.unshift(...target.split(sep).filter(Boolean));
    if (isAbsolute(target)) current = '/';
  }
  return current;
}

type Identity = string;

async function identity(path: string): Promise<Identity | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info ? `${info.dev}:${info.ino}` : undefined;
}

/** The reason `file` is one the model could write, or undefined when it cannot. */
export async function modelWritable(file: string, places: WritablePlaces): Promise<string | undefined> {
  const real = await resolveByHand(resolve(file));
  if (real === undefined) return `${file} is reached through /proc or /dev`;
  const writable = new Set((await Promise.all(places.writable.map(identity))).filter((id) => id !== undefined));
  const safe = new Set((await Promise.all(places.protectedDirs.map(identity))).filter((id) => id !== undefined));
  for (let dir = dirname(real); ; dir = dirname(dir)) {
    const id = await identity(dir);
    if (id !== undefined && safe.has(id)) return undefined;
    if (id !== undefined && writable.has(id)) return `${file} lies in ${dir}, which the model can write`;
    if (dir === '/') return undefined;
  }
}
