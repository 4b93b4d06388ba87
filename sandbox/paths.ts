// Path confinement: turn a path the model gave into a real absolute path inside the sandbox root,
// or refuse it. Every backend routes file access and working directories through resolveInside.
//
// Symlinks and `..` are resolved physically (by the kernel, via realpath), never lexically: with
// `link -> /elsewhere`, `link/..` is `/` and not the root, so normalising the string first would
// let a path escape. This is a check, not a security boundary on its own: a process that swaps a
// directory for a symlink between the check and the use could win that race, so the file tools then
// open the checked path without following any link (dir-walk.ts), which is what makes them safe.
import { promises as fs } from 'node:fs';
import { PathOutsideError } from './types.js';

/** A path that is malformed rather than outside the root (empty, NUL byte, `..` below a missing directory). The model's fault. */
export class InvalidPathError extends Error {
  constructor(
    readonly requested: string,
    reason: string,
  ) {
    super(`invalid path ${JSON.stringify(requested)}: ${reason}`);
    this.name = 'InvalidPathError';
  }
}

/** Links followed by hand (for dangling ones) before giving up, as the kernel's own limit. */
const MAX_LINK_HOPS = 40;

/**
 * Resolve `requested` (absolute, or relative to `root`) to a real absolute path inside `root`.
 * `root` must already be a real path. Existing components are resolved with realpath; a missing
 * tail is appended as is. Throws PathOutsideError when the result is not `root` or below it, and
 * InvalidPathError for an empty path, a NUL byte, or `..` after a missing directory.
 */
export async function resolveInside(root: string, requested: string): Promise<string> {
  if (typeof requested !== 'string' || requested.length === 0) {
    throw new InvalidPathError(String(requested), 'the path is empty; give a file or directory name');
  }
  if (requested.includes('\0')) {
    throw new InvalidPathError(requested, 'the path contains a NUL byte');
  }
  const joined = requested.startsWith('/') ? requested : `${root}/${requested}`;
  const resolved = await resolvePhysical(joined, requested, 0);
  if (!isInside(root, resolved)) throw new PathOutsideError(requested, root);
  return resolved;
}

/** True when `path` is `root` or below it; both must be normalised absolute paths. */
export function isInside(root: string, path: string): boolean {
  if (root === '/') return path.startsWith('/');
  return path === root || path.startsWith(`${root}/`);
}

/**
 * Walk back from the full path until a prefix exists, realpath that prefix and append the rest.
 * A dangling symlink makes realpath fail on it even though it exists, so it is followed by hand:
 * otherwise `link -> /outside/new` would look like the harmless `root/link`, and writing it would
 * create a file outside.
 */
async function resolvePhysical(path: string, requested: string, hops: number): Promise<string> {
  const parts = path.split('/').filter((part) => part !== '');
  for (let i = parts.length; i >= 0; i--) {
    const prefix = `/${parts.slice(0, i).join('/')}`;
    const real = await tryRealpath(prefix);
    if (real !== undefined) return appendRest(real, parts.slice(i), requested);
    const target = await tryReadlink(prefix);
    if (target !== undefined) {
      if (hops >= MAX_LINK_HOPS) throw new InvalidPathError(requested, 'too many levels of symbolic links');
      const base = target.startsWith('/') ? target : `/${parts.slice(0, i - 1).join('/')}/${target}`;
      return resolvePhysical([base, ...parts.slice(i)].join('/'), requested, hops + 1);
    }
  }
  // Unreachable in practice: `/` always resolves.
  throw new InvalidPathError(requested, 'no part of the path exists');
}

/** Append the components below the deepest existing directory; none of them exist, so none is a link. */
function appendRest(real: string, rest: string[], requested: string): string {
  const names = rest.filter((name) => name !== '.');
  if (names.includes('..')) {
    // The kernel would fail on `missing/..` anyway; refusing keeps the result unambiguous.
    throw new InvalidPathError(requested, '`..` follows a directory that does not exist');
  }
  if (names.length === 0) return real;
  return real === '/' ? `/${names.join('/')}` : `${real}/${names.join('/')}`;
}

/** realpath, or undefined when some component is missing, not a directory, or a link loop. */
async function tryRealpath(path: string): Promise<string | undefined> {
  try {
    return await fs.realpath(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The target of a symlink, or undefined when `path` is not a symlink or does not exist. */
async function tryReadlink(path: string): Promise<string | undefined> {
  try {
    return await fs.readlink(path);
  } catch (error) {
    if (isMissing(error) || codeOf(error) === 'EINVAL') return undefined;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
}
