// File access shared by every backend: reads and writes run on the host, in sprout's own process.
// A path is first resolved and checked by resolveInside (symlinks inside the root keep working),
// then opened component by component without following links (dir-walk.ts) and read or written by
// name in that opened directory (entry-io.ts): a shell call swapping a directory for a symlink at the
// same moment makes the call fail, never land outside. The bwrap backend isolates processes, not
// these calls, so this is what keeps the file tools inside.
import { promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { codeOf, entryPath, openDirBelow } from './dir-walk.js';
import { lstatEntry, readEntry, removeEntry, replaceEntry } from './entry-io.js';
import { InvalidPathError, isInside, resolveInside } from './paths.js';
import type { FileInfo, Sandbox } from './types.js';

/** Largest file the file tools read whole (read_file, edit_file, apply_patch); bigger ones are refused by size, unread. */
export const MAX_READ_BYTES = 32 * 1024 * 1024;

/** The file half of a Sandbox. */
export type ConfinedFiles = Pick<Sandbox, 'resolvePath' | 'readFile' | 'writeFile' | 'exists' | 'stat' | 'listDir' | 'remove'>;

/** Options of confinedFiles. */
export interface ConfinedFilesOptions {
  /**
   * Names below the root that may be read but not written (e.g. `.git`), matching the backend's
   * read-only mounts, so a file tool cannot do what a shell command in the same sandbox cannot.
   */
  readOnly?: readonly string[];
  /**
   * Real paths of directories outside the root that may be read (not written) by absolute path,
   * e.g. where sprout saves tool output too long to show, so read_file can page through it.
   */
  readRoots?: readonly string[];
}

/** A checked path: the real base it lies in and the names below it. */
interface Located {
  base: string;
  parts: string[];
}

/** File operations confined to `root`, which must already be a real path. */
export function confinedFiles(root: string, options: ConfinedFilesOptions = {}): ConfinedFiles {
  const protectedPaths = (options.readOnly ?? []).map((name) => path.join(root, name));
  const resolvePath = (requested: string): Promise<string> => resolveInside(root, requested);
  const readable = async (requested: string): Promise<Located> => {
    const extra = path.isAbsolute(requested) ? options.readRoots?.find((dir) => isInside(dir, path.resolve(requested))) : undefined;
    const base = extra ?? root;
    return locate(base, await resolveInside(base, requested));
  };
  const writable = async (requested: string): Promise<Located> => {
    const target = await resolvePath(requested);
    const blocked = protectedPaths.find((dir) => isInside(dir, target));
    if (blocked) throw readOnlyError(target, blocked);
    return locate(root, target);
  };
  const removable = async (requested: string): Promise<Located> => {
    const located = await writable(requested);
    if (located.parts.length === 0) throw new InvalidPathError(requested, 'the working directory itself cannot be removed');
    return located;
  };

  return {
    resolvePath,

    readFile: (requested) =>
      inEntry(requested, readable, false, (dir, name) => readEntry(dir, name, requested, MAX_READ_BYTES)),

    writeFile: (requested, data) => inEntry(requested, writable, true, (dir, name) => replaceEntry(dir, name, requested, data)),

    remove: (requested) => inEntry(requested, removable, false, (dir, name) => removeEntry(dir, name, requested)),

    async stat(requested) {
      const { base, parts } = await readable(requested);
      return quietly(() =>
        withDir(base, parts.slice(0, -1), requested, false, async (dir) => infoOf(parts.length === 0 ? await dir.stat() : await lstatEntry(dir, parts.at(-1)!))),
      );
    },

    async listDir(requested) {
      const { base, parts } = await readable(requested);
      const entries = await withDir(base, parts, requested, false, (dir) => fs.readdir(entryPath(dir), { withFileTypes: true }));
      return entries
        .map((e) => ({
          name: e.name,
          type: e.isFile() ? ('file' as const) : e.isDirectory() ? ('directory' as const) : e.isSymbolicLink() ? ('symlink' as const) : ('other' as const),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },

    async exists(requested) {
      const { base, parts } = await readable(requested);
      const found = await quietly(() =>
        withDir(base, parts.slice(0, -1), requested, false, async (dir) => parts.length === 0 || (await lstatEntry(dir, parts.at(-1)!)) !== undefined),
      );
      return found === true;
    },
  };
}

/** Run `use` on the parent directory of a file path (opened race-free) and its last name. */
async function inEntry<T>(
  requested: string,
  check: (requested: string) => Promise<Located>,
  create: boolean,
  use: (dir: FileHandle, name: string) => Promise<T>,
): Promise<T> {
  const { base, parts } = await check(requested);
  const name = parts.at(-1);
  if (name === undefined) throw isDirectory(requested);
  return withDir(base, parts.slice(0, -1), requested, create, (dir) => use(dir, name));
}

/**
 * Open `base/dirParts...` without following links and hand it to `use`, closing it after. Errors
 * name the path as the model gave it, not the /proc path the kernel saw.
 */
async function withDir<T>(base: string, dirParts: string[], requested: string, create: boolean, use: (dir: FileHandle) => Promise<T>): Promise<T> {
  try {
    const dir = await openDirBelow(base, dirParts, requested, create);
    try {
      return await use(dir);
    } finally {
      await dir.close();
    }
  } catch (error) {
    throw renamed(error, requested);
  }
}

/** The base and the names below it of a real path already checked to be inside `base`. */
function locate(base: string, real: string): Located {
  const rel = path.relative(base, real);
  return { base, parts: rel === '' ? [] : rel.split(path.sep) };
}

function infoOf(info: Stats | undefined): FileInfo | undefined {
  if (!info) return undefined;
  const type = info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
  return { type, size: info.size, mtimeMs: info.mtimeMs };
}

/** The result, or undefined for any file-system error (stat and exists answer "not there"). */
async function quietly<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch {
    return undefined;
  }
}

/** An errno error about a /proc/self/fd path re-labelled with the path the model asked for. */
function renamed(error: unknown, requested: string): unknown {
  const failed = (error as NodeJS.ErrnoException | undefined)?.path;
  if (codeOf(error) && typeof failed === 'string' && failed.startsWith('/proc/self/fd/')) {
    const e = error as NodeJS.ErrnoException;
    e.message = e.message.replace(failed, requested);
    e.path = requested;
  }
  return error;
}

function isDirectory(requested: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`EISDIR: is a directory, ${requested}`);
  error.code = 'EISDIR';
  error.path = requested;
  return error;
}

/**
 * An EROFS error, as the kernel gives a shell command writing the same path inside the sandbox;
 * the tool runner already turns that code into "permission denied: <path>" for the model.
 */
function readOnlyError(target: string, dir: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `${target} is read-only in the sandbox (everything under ${dir} is): sprout changes it on the host, not the model`,
  );
  error.code = 'EROFS';
  error.path = target;
  return error;
}

/** Real path of an existing directory, or an Error that says what to fix. */
export async function realDirectory(dir: string): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`working directory ${JSON.stringify(dir)} cannot be used (${code}); pass an existing directory`, {
      cause: error,
    });
  }
  if (!(await fs.stat(real)).isDirectory()) {
    throw new Error(`working directory ${JSON.stringify(dir)} is not a directory; pass an existing directory`);
  }
  return real;
}

/** Real paths of the given directories (they must exist). */
export async function realPathsOf(dirs: readonly string[] | undefined): Promise<string[]> {
  return Promise.all((dirs ?? []).map((dir) => realDirectory(dir)));
}

/** The confined cwd of a command; checked here because a missing cwd makes spawn report a misleading ENOENT for bash. */
export async function workingDirectory(root: string, requested: string | undefined): Promise<string> {
  if (requested === undefined) return root;
  const cwd = await resolveInside(root, requested);
  const stat = await fs.stat(cwd).catch(() => undefined);
  if (!stat?.isDirectory()) throw new InvalidPathError(requested, 'the working directory does not exist or is not a directory');
  return cwd;
}
