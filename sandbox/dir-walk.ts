// Opening a directory below a root without ever following a link, so that a process swapping a
// directory for a symlink at the same moment cannot redirect a host-side file operation outside.
//
// Node has no openat(), so each component is opened through the `/proc/self/fd/<dirfd>/<name>` magic
// link: the kernel resolves `/proc/self/fd/N` to the directory already open as N, not to whatever
// path that directory had, and O_NOFOLLOW|O_DIRECTORY refuses `<name>` when it is a symlink or not a
// directory. Every directory on the way is therefore the one that was checked, by construction, and
// the final descriptor's own path (readlink of its /proc entry) is verified to be inside the root.
// Operations on one entry then name it as `/proc/self/fd/<dirfd>/<name>` too (see entry-io.ts).
// Chosen over writing from inside bwrap (a process per write) or pausing the model's processes
// during writes (a lock every shell call would wait on): it costs a few opens per call.
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { isInside } from './paths.js';
import { PathChangedError } from './types.js';

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** The path naming `name` inside the open directory `dir` (or the directory itself) without any lookup by path. */
export function entryPath(dir: FileHandle, name?: string): string {
  return name === undefined ? `/proc/self/fd/${dir.fd}` : `/proc/self/fd/${dir.fd}/${name}`;
}

/**
 * Open the directory `base/parts...` and return its handle (the caller closes it). `base` is a real
 * path that the model cannot change (the sandbox root or a read root); `parts` are single names,
 * never `.` or `..`. With `create`, missing directories are made on the way, each inside the one
 * opened before it. A component that is a symlink (or turned into one) throws PathChangedError.
 */
export async function openDirBelow(base: string, parts: readonly string[], shown: string, create: boolean): Promise<FileHandle> {
  await requireProcFd();
  let dir = await fs.open(base, DIR_FLAGS);
  try {
    for (const name of parts) {
      if (name === '' || name === '.' || name === '..' || name.includes('/')) throw new Error(`internal: bad path component ${JSON.stringify(name)}`);
      const next = await openChild(dir, name, shown, create);
      await dir.close();
      dir = next;
    }
    await verifyInside(dir, base, shown);
    return dir;
  } catch (error) {
    await dir.close().catch(() => undefined);
    throw error;
  }
}

async function openChild(dir: FileHandle, name: string, shown: string, create: boolean): Promise<FileHandle> {
  try {
    return await fs.open(entryPath(dir, name), DIR_FLAGS);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' && create) {
      await fs.mkdir(entryPath(dir, name)).catch((mkdirError: unknown) => {
        if (codeOf(mkdirError) !== 'EEXIST') throw mkdirError;
      });
      return openChild(dir, name, shown, false);
    }
    if (code === 'ELOOP') throw new PathChangedError(shown);
    if (code === 'ENOTDIR') {
      // A symlink reports ENOTDIR on some kernels; anything else is a plain file in the way.
      const info = await fs.lstat(entryPath(dir, name)).catch(() => undefined);
      if (info?.isSymbolicLink()) throw new PathChangedError(shown);
    }
    throw error;
  }
}

/** Belt and braces: the kernel's own name for the opened directory must be inside `base`. */
async function verifyInside(dir: FileHandle, base: string, shown: string): Promise<void> {
  const real = await fs.readlink(entryPath(dir));
  if (!isInside(base, real)) throw new PathChangedError(shown);
}

let procFd: Promise<void> | undefined;

/** /proc/self/fd is what makes the walk race-free; without it (not Linux, /proc not mounted) refuse rather than fall back. */
function requireProcFd(): Promise<void> {
  procFd ??= fs.access('/proc/self/fd').catch(() => {
    procFd = undefined;
    throw new Error('file tools need /proc/self/fd (Linux with /proc mounted) to open paths without following links; mount /proc and run again');
  });
  return procFd;
}

export function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
}
