// Reading, replacing and removing one entry of a directory opened by dir-walk.ts, named through the
// directory's descriptor so a concurrent swap of any path cannot redirect it. Only regular files are
// read or written: FIFOs, sockets and devices are refused from lstat before anything opens them
// (opening a FIFO blocks, reading /dev/zero never ends), and size is checked before reading.
import { randomBytes } from 'node:crypto';
import { constants, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { codeOf, entryPath } from './dir-walk.js';
import { InvalidPathError } from './paths.js';
import { PathChangedError, UnsupportedFileError } from './types.js';

/** Prefix of the temporary file a write goes through before it is renamed over its target. */
export const TEMP_PREFIX = '.sprout-write-';

/** lstat of `name` in `dir`, or undefined when it does not exist. */
export async function lstatEntry(dir: FileHandle, name: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(entryPath(dir, name));
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Read a regular file whole, refusing special files, links that appeared, and files over `maxBytes` before reading. */
export async function readEntry(dir: FileHandle, name: string, shown: string, maxBytes: number): Promise<Buffer> {
  const before = await lstatEntry(dir, name);
  if (!before) throw missing(shown);
  requireRegular(before, shown);
  requireSize(before.size, shown, maxBytes);
  // O_NONBLOCK: should a FIFO take the file's place after the lstat, opening it returns at once.
  const file = await fs.open(entryPath(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: unknown) => {
    throw codeOf(error) === 'ELOOP' ? new PathChangedError(shown) : error;
  });
  try {
    const info = await file.stat();
    if (!info.isFile() || info.ino !== before.ino || info.dev !== before.dev) throw new PathChangedError(shown);
    requireSize(info.size, shown, maxBytes);
    return await readAtMost(file, shown, maxBytes);
  } finally {
    await file.close();
  }
}

/** Read to the end, failing as soon as more than `maxBytes` came (a file growing while read). */
async function readAtMost(file: FileHandle, shown: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
    const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    requireSize(total, shown, maxBytes);
  }
}

/**
 * Replace (or create) `name` with `data`: write a temporary file created with O_EXCL|O_NOFOLLOW in
 * the same opened directory, then rename it over the name. rename never follows a link, so even a
 * symlink planted at the last moment is replaced, not written through; a hard link to a file
 * elsewhere is unlinked, not changed; a reader never sees half a file. The old file's mode is kept.
 */
export async function replaceEntry(dir: FileHandle, name: string, shown: string, data: string | Uint8Array): Promise<void> {
  const existing = await lstatEntry(dir, name);
  if (existing?.isSymbolicLink()) throw new PathChangedError(shown);
  if (existing) requireRegular(existing, shown);
  const temp = `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`;
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const file = await fs.open(entryPath(dir, temp), flags, 0o666);
  try {
    try {
      await file.writeFile(data);
      if (existing) await keepOwnership(file, existing);
    } finally {
      await file.close();
    }
    await fs.rename(entryPath(dir, temp), entryPath(dir, name));
  } catch (error) {
    await fs.unlink(entryPath(dir, temp)).catch(() => undefined);
    throw error;
  }
}

async function keepOwnership(file: FileHandle, existing: Stats): Promise<void> {
  await file.chmod(existing.mode & 0o7777);
  // Only root can give a file away; for anyone else the new file is theirs, as the old one was.
  if (process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) await file.chown(existing.uid, existing.gid);
}

/** Delete the file `name`; a directory is refused, a symlink is removed itself. */
export async function removeEntry(dir: FileHandle, name: string, shown: string): Promise<void> {
  const info = await lstatEntry(dir, name);
  if (!info) throw missing(shown);
  if (info.isDirectory()) throw new InvalidPathError(shown, 'is a directory; only files can be removed');
  await fs.unlink(entryPath(dir, name));
}

/** Throw unless `info` is a regular file: directories as EISDIR, special files by their kind. */
export function requireRegular(info: Stats, shown: string): void {
  if (info.isFile()) return;
  if (info.isDirectory()) throw errno('EISDIR', shown, 'is a directory');
  if (info.isSymbolicLink()) throw new PathChangedError(shown);
  throw new UnsupportedFileError(shown, `is ${specialKind(info)}, not a regular file; file tools only read and write regular files`);
}

function specialKind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'a special file';
}

function requireSize(size: number, shown: string, maxBytes: number): void {
  if (size <= maxBytes) return;
  throw new UnsupportedFileError(
    shown,
    `is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} file tools read; look at parts of it with shell (head, tail, sed -n, grep)`,
  );
}

/** `2.0 GiB`, `32 MiB`, `512 KiB`: enough to compare a file with the limit. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

function missing(shown: string): NodeJS.ErrnoException {
  return errno('ENOENT', shown, 'no such file or directory');
}

function errno(code: string, shown: string, text: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${text}, ${shown}`);
  error.code = code;
  error.path = shown;
  return error;
}
