// The host facts the bwrap layout depends on, read fresh before every command: which directories
// to hide exist, where resolv.conf really lives, and where the repository's git metadata is. Fresh
// because a command can create `.git` (`git init`), and the next one must already find it read-only;
// a container set up ahead is used only when its facts' stamp matches the fresh one.
//
// Synchronous: a dozen or two metadata calls on local paths take well under a millisecond together,
// while the same calls through the thread pool cost a round trip each, and parallel calls queue
// theirs behind one another's (about a millisecond per call, before its command could start).
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import { HIDDEN_DIRECTORIES, SECRET_FILES, type HostFacts } from './bwrap-args.js';

/** Gather HostFacts for a sandbox rooted at `root` (a real path); `realHome` is the user's HOME as given. */
export function inspectHost(root: string, realHome: string | undefined): HostFacts {
  const candidates = realHome ? [...HIDDEN_DIRECTORIES, realHome] : HIDDEN_DIRECTORIES;
  // Real paths: /var/run is usually a link to /run, and on some systems /home is one to /var/home.
  const hidden = candidates.map(realDirectoryOrUndefined);
  return {
    hiddenDirectories: [...new Set(hidden.filter((dir): dir is string => dir !== undefined))],
    secretFiles: existingSecretFiles(),
    resolvDir: resolvDirectory(),
    gitPaths: gitPaths(root),
  };
}

function realDirectoryOrUndefined(dir: string): string | undefined {
  try {
    const real = realpathSync.native(dir);
    return statSync(real).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(file: string): Stats | undefined {
  return attempt(() => lstatSync(file, { throwIfNoEntry: false }));
}

/** SECRET_FILES that exist, plus the ssh host private keys (`/etc/ssh/ssh_host_*_key`). */
function existingSecretFiles(): string[] {
  const names = attempt(() => readdirSync('/etc/ssh')) ?? [];
  const hostKeys = names.filter((name) => /^ssh_host_.*_key$/.test(name)).map((name) => `/etc/ssh/${name}`);
  return [...SECRET_FILES, ...hostKeys].filter((file) => lstatOrUndefined(file)?.isFile() ?? false);
}

/** The directory of the file /etc/resolv.conf finally points to (often under /run, which is hidden). */
function resolvDirectory(): string | undefined {
  const real = attempt(() => realpathSync.native('/etc/resolv.conf'));
  return real ? path.dirname(real) : undefined;
}

/** `read()`, or undefined where it throws (a missing or unreadable path). */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * What to mount read-only so git metadata cannot be changed from inside: `.git` itself (a directory,
 * or the file of a worktree, which would otherwise be rewritten to point somewhere planted), and
 * for a worktree the git dir and common dir it names, which also makes them visible when they lie
 * under a hidden directory.
 */
function gitPaths(root: string): string[] {
  const dotGit = path.join(root, '.git');
  const info = lstatOrUndefined(dotGit);
  if (!info) return [];
  if (info.isDirectory()) return [dotGit];
  if (info.isSymbolicLink()) {
    // The link itself stays writable (it lives in the root); its target is still protected.
    const target = realDirectoryOrUndefined(dotGit);
    return target ? [target] : [];
  }
  if (!info.isFile()) return [];
  const paths = [dotGit];
  const gitDir = pointer(dotGit, 'gitdir:', root);
  if (gitDir) {
    paths.push(gitDir);
    const common = pointer(path.join(gitDir, 'commondir'), '', gitDir);
    if (common) paths.push(common);
  }
  return paths.filter((p, i) => paths.indexOf(p) === i);
}

/** The directory a git pointer file names (`gitdir: <path>` or a bare path), resolved against `base`. */
function pointer(file: string, prefix: string, base: string): string | undefined {
  const text = attempt(() => readPointerFile(file));
  const line = text?.split('\n')[0]?.trim();
  if (!line?.startsWith(prefix)) return undefined;
  const target = line.slice(prefix.length).trim();
  return target ? realDirectoryOrUndefined(path.resolve(base, target)) : undefined;
}

/** Bytes of a git pointer file read at most: a path and a newline. */
const POINTER_BYTES = 8192;

/**
 * The start of a regular file, or undefined for anything else. The repository is the command's to
 * shape: O_NONBLOCK makes a FIFO planted here open at once instead of stalling the run for good.
 */
function readPointerFile(file: string): string | undefined {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(POINTER_BYTES);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, POINTER_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * A string that differs whenever a layout built from `facts` would: the facts themselves, and which
 * file each git path is (a `.git` removed and made again is another directory at the same path, and
 * a container set up before holds the old one).
 */
export function factsStamp(facts: HostFacts): string {
  const identities = facts.gitPaths.map((p) => {
    const info = attempt(() => lstatSync(p, { bigint: true, throwIfNoEntry: false }));
    return info ? `${info.dev}:${info.ino}:${info.birthtimeNs}` : 'missing';
  });
  return JSON.stringify([facts, identities]);
}
