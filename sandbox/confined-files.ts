// File access shared by every backend: reads and writes run on the host, in sprout's own process,
// with each path confined to the working directory by resolveInside. The bwrap backend isolates
// processes, not these calls, so the confinement here is what keeps the file tools inside.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidPathError, isInside, resolveInside } from './paths.js';
import type { Sandbox } from './types.js';

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

/** File operations confined to `root`, which must already be a real path. */
export function confinedFiles(root: string, options: ConfinedFilesOptions = {}): ConfinedFiles {
  const protectedPaths = (options.readOnly ?? []).map((name) => path.join(root, name));
  const resolvePath = (requested: string): Promise<string> => resolveInside(root, requested);
  const readablePath = async (requested: string): Promise<string> => {
    const extra = path.isAbsolute(requested) ? options.readRoots?.find((dir) => isInside(dir, path.resolve(requested))) : undefined;
    return extra ? resolveInside(extra, requested) : resolvePath(requested);
  };
  const writablePath = async (requested: string): Promise<string> => {
    const target = await resolvePath(requested);
    const blocked = protectedPaths.find((dir) => isInside(dir, target));
    if (blocked) throw readOnlyError(target, blocked);
    return target;
  };

  return {
    resolvePath,

    async readFile(requested) {
      return fs.readFile(await readablePath(requested));
    },

    async writeFile(requested, data) {
      const target = await writablePath(requested);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, data);
    },

    async remove(requested) {
      const target = await writablePath(requested);
      if (target === root) throw new InvalidPathError(requested, 'the working directory itself cannot be removed');
      const info = await fs.lstat(target);
      if (info.isDirectory()) throw new InvalidPathError(requested, 'is a directory; only files can be removed');
      await fs.unlink(target);
    },

    async stat(requested) {
      const info = await fs.stat(await readablePath(requested)).catch(() => undefined);
      if (!info) return undefined;
      const type = info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
      return { type, size: info.size, mtimeMs: info.mtimeMs };
    },

    async listDir(requested) {
      const entries = await fs.readdir(await resolvePath(requested), { withFileTypes: true });
      return entries
        .map((e) => ({
          name: e.name,
          type: e.isFile() ? ('file' as const) : e.isDirectory() ? ('directory' as const) : e.isSymbolicLink() ? ('symlink' as const) : ('other' as const),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },

    async exists(requested) {
      const target = await readablePath(requested);
      try {
        await fs.stat(target);
        return true;
      } catch {
        return false;
      }
    },
  };
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
