// The host facts the bwrap layout depends on, read fresh before every command: which directories
// to hide exist, where resolv.conf really lives, and where the repository's git metadata is. Fresh
// because a command can create `.git` (`git init`), and the next one must already find it read-only;
// a container set up ahead is used only when its facts' stamp matches the fresh one.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HIDDEN_DIRECTORIES, SECRET_FILES, type HostFacts } from './bwrap-args.js';

/** Gather HostFacts for a sandbox rooted at `root` (a real path); `realHome` is the user's HOME as given. */
export async function inspectHost(root: string, realHome: string | undefined): Promise<HostFacts> {
  const candidates = realHome ? [...HIDDEN_DIRECTORIES, realHome] : HIDDEN_DIRECTORIES;
  // Real paths: /var/run is usually a link to /run, and on some systems /home is one to /var/home.
  // All at once: this runs before every command, and each look is a round trip to the thread pool.
  const [hidden, secretFiles, resolvDir, git] = await Promise.all([
    Promise.all(candidates.map(realDirectoryOrUndefined)),
    existingSecretFiles(),
    resolvDirectory(),
    gitPaths(root),
  ]);
  return {
    hiddenDirectories: [...new Set(hidden.filter((dir): dir is string => dir !== undefined))],
    secretFiles,
    resolvDir,
    gitPaths: git,
  };
}

async function realDirectoryOrUndefined(dir: string): Promise<string | undefined> {
  try {
    const real = await fs.realpath(dir);
    return (await fs.stat(real)).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

async function isFile(file: string): Promise<boolean> {
  return (await fs.lstat(file).catch(() => undefined))?.isFile() ?? false;
}

/** SECRET_FILES that exist, plus the ssh host private keys (`/etc/ssh/ssh_host_*_key`). */
async function existingSecretFiles(): Promise<string[]> {
  const names = await fs.readdir('/etc/ssh').catch(() => [] as string[]);
  const hostKeys = names.filter((name) => /^ssh_host_.*_key$/.test(name)).map((name) => `/etc/ssh/${name}`);
  const candidates = [...SECRET_FILES, ...hostKeys];
  const present = await Promise.all(candidates.map(isFile));
  return candidates.filter((_, i) => present[i]);
}

/** The directory of the file /etc/resolv.conf finally points to (often under /run, which is hidden). */
async function resolvDirectory(): Promise<string | undefined> {
  const real = await fs.realpath('/etc/resolv.conf').catch(() => undefined);
  return real ? path.dirname(real) : undefined;
}

/**
 * What to mount read-only so git metadata cannot be changed from inside: `.git` itself (a directory,
 * or the file of a worktree, which would otherwise be rewritten to point somewhere planted), and
 * for a worktree the git dir and common dir it names, which also makes them visible when they lie
 * under a hidden directory.
 */
async function gitPaths(root: string): Promise<string[]> {
  const dotGit = path.join(root, '.git');
  const info = await fs.lstat(dotGit).catch(() => undefined);
  if (!info) return [];
  if (info.isDirectory()) return [dotGit];
  if (info.isSymbolicLink()) {
    // The link itself stays writable (it lives in the root); its target is still protected.
    const target = await realDirectoryOrUndefined(dotGit);
    return target ? [target] : [];
  }
  if (!info.isFile()) return [];
  const paths = [dotGit];
  const gitDir = await pointer(dotGit, 'gitdir:', root);
  if (gitDir) {
    paths.push(gitDir);
    const common = await pointer(path.join(gitDir, 'commondir'), '', gitDir);
    if (common) paths.push(common);
  }
  return paths.filter((p, i) => paths.indexOf(p) === i);
}

/** The directory a git pointer file names (`gitdir: <path>` or a bare path), resolved against `base`. */
async function pointer(file: string, prefix: string, base: string): Promise<string | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  const line = text?.split('\n')[0]?.trim();
  if (!line?.startsWith(prefix)) return undefined;
  const target = line.slice(prefix.length).trim();
  return target ? realDirectoryOrUndefined(path.resolve(base, target)) : undefined;
}

/**
 * A string that differs whenever a layout built from `facts` would: the facts themselves, and which
 * file each git path is (a `.git` removed and made again is another directory at the same path, and
 * a container set up before holds the old one).
 */
export async function factsStamp(facts: HostFacts): Promise<string> {
  const identities = await Promise.all(
    facts.gitPaths.map(async (p) => {
      const info = await fs.lstat(p, { bigint: true }).catch(() => undefined);
      return info ? `${info.dev}:${info.ino}:${info.birthtimeNs}` : 'missing';
    }),
  );
  return JSON.stringify([facts, identities]);
}
