// The bwrap argument list for one command: what of the host a command sees, and how. Pure: every
// fact about the host (which directories exist, where .git lives) comes in `HostFacts`, gathered by
// bwrap-host.ts, so the whole layout can be tested and reviewed without a file system.
//
// Mounts apply in order and a later one covers an earlier one at the same or a parent path, so:
//   1. `/` read-only, then a fresh /dev, /proc and /tmp (per call: every exec is a new bwrap).
//   2. tmpfs over the places secrets live: the real $HOME, /root and /home wholesale (~/.ssh,
//      ~/.aws, ~/.npmrc, ~/.config, other users' checkouts), and /run and /var/run. The latter hold
//      sockets (docker.sock, the D-Bus bus, ssh-agent, systemd's private socket) and connecting
//      to a unix socket needs only write permission on the socket file itself, which a read-only
//      bind mount does not take away. Kubernetes and Docker secrets (/run/secrets) live there too.
//   3. Root-only secret files (shadow, ssh host keys) blanked with /dev/null: sprout often runs as
//      root in CI, and root inside a user namespace still owns those files.
//   4. With network only: the directory holding the real resolv.conf again, when it sits under a
//      masked directory (systemd-resolved's /run/systemd/resolve), so DNS keeps working.
//   5. The fresh HOME, an empty directory in the fresh /tmp; then the toolchains on PATH that live in
//      hidden places, read-only, each linked into the fresh HOME (see toolchain-mounts.ts).
//   6. The working directory read-write, then its `.git` read-only, then configured extra paths;
//      parents before children, so each deeper path wins (the root may live inside a masked home).
//   7. Every namespace unshared (network shared only on request), die with the parent, a new
//      session (no TIOCSTI into sprout's terminal), all capabilities dropped (root inside could
//      otherwise remount the read-only binds).
import { isInside } from './paths.js';
import type { ToolchainPlan } from './toolchain-mounts.js';

/** What the command should see; every path is absolute and real (symlinks resolved). */
export interface BwrapLayout {
  /** The working directory, mounted read-write at the same path. */
  root: string;
  /** The fresh, empty HOME inside the sandbox; must lie under /tmp (or another fresh tmpfs). */
  home: string;
  /** Share the host's network namespace; off means only a private loopback. */
  network: boolean;
  /** Extra host paths mounted read-write at the same path (e.g. a package cache). */
  readWrite: readonly string[];
  /** Extra host paths mounted read-only at the same path. */
  readOnly: readonly string[];
  /** The user's real home directory, hidden behind an empty tmpfs. */
  realHome?: string;
  /** The command's working directory (default: root). */
  cwd?: string;
  /** Size of the fresh /tmp in bytes (host RAM); unbounded when unset (a bwrap without --size). */
  tmpBytes?: number;
  /** Toolchains on PATH that live in hidden places, mounted read-only (toolchain-mounts.ts). */
  toolchains?: Pick<ToolchainPlan, 'mounts' | 'homeLinks'>;
}

/** What exists on the host; bwrap cannot create a mount point under the read-only `/`, so only existing paths are masked. */
export interface HostFacts {
  /** Directories to hide behind a tmpfs: the existing, real ones among HIDDEN_DIRECTORIES and the real home. */
  hiddenDirectories: readonly string[];
  /** Existing secret files to blank out. */
  secretFiles: readonly string[];
  /** The real directory of /etc/resolv.conf's target, re-mounted read-only when the network is on and it is hidden. */
  resolvDir?: string;
  /** Git metadata to mount read-only over the root: root/.git, and for a worktree its git dir and common dir. */
  gitPaths: readonly string[];
}

/** Where secrets and host sockets live, hidden when they exist (see the file comment). */
export const HIDDEN_DIRECTORIES: readonly string[] = ['/root', '/home', '/run', '/var/run'];

/** Root-only files worth hiding from a command run as root; ssh host keys are found by name at run time. */
export const SECRET_FILES: readonly string[] = ['/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-'];

/** The namespace and privilege flags, shared with the probe so it tests what exec will need. */
export function isolationArgs(network: boolean): string[] {
  return [
    '--unshare-all',
    ...(network ? ['--share-net'] : []),
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
  ];
}

/**
 * Size of each tmpfs that only masks a host directory: nothing needs to write there, and without a
 * size every one of them would be another place to fill host RAM.
 */
export const MASK_TMPFS_BYTES = 8 * 1024 * 1024;

/** The system mounts every command gets, shared with the probe; `tmpBytes` bounds /tmp (bwrap 0.8+). */
export function baseMountArgs(tmpBytes?: number): string[] {
  return ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', ...sized(tmpBytes), '--tmpfs', '/tmp'];
}

/** `--size` applies to the next `--tmpfs` only. */
function sized(bytes: number | undefined): string[] {
  return bytes === undefined ? [] : ['--size', String(bytes)];
}

/** The bwrap arguments that come before the command (which follows a `--`). */
export function buildBwrapArgs(layout: BwrapLayout, facts: HostFacts): string[] {
  const args = baseMountArgs(layout.tmpBytes);
  // `/` itself is never hidden (a HOME of `/` is common for service users), nor what the fresh /tmp already hides.
  const hidden = outermost(facts.hiddenDirectories.filter((dir) => dir !== '/' && !isInside('/tmp', dir)));
  for (const dir of hidden) args.push(...sized(layout.tmpBytes === undefined ? undefined : MASK_TMPFS_BYTES), '--tmpfs', dir);
  for (const file of facts.secretFiles) args.push('--ro-bind', '/dev/null', file);
  const resolv = facts.resolvDir;
  if (layout.network && resolv && hidden.some((dir) => isInside(dir, resolv))) args.push('--ro-bind', resolv, resolv);
  args.push('--dir', layout.home);
  args.push(...toolchainArgs(layout));
  for (const bind of orderedBinds(layout, facts)) args.push(bind.writable ? '--bind' : '--ro-bind', bind.path, bind.path);
  args.push(...isolationArgs(layout.network), '--chdir', layout.cwd ?? layout.root);
  return args;
}

/** Toolchain binds after the masks (parents first), and their links in the fresh HOME. */
function toolchainArgs(layout: BwrapLayout): string[] {
  const { mounts = [], homeLinks = [] } = layout.toolchains ?? {};
  const args: string[] = [];
  for (const m of [...mounts].sort((a, b) => depth(a.target) - depth(b.target))) args.push('--ro-bind', m.source, m.target);
  for (const link of homeLinks) args.push('--symlink', link.target, `${layout.home}/${link.name}`);
  return args;
}

interface Bind {
  path: string;
  writable: boolean;
  /** Among binds of equal depth, the higher rank is mounted later and wins. */
  rank: number;
}

/**
 * The working directory, its git metadata and the extra paths, parents first. For the same path
 * the built-in binds win over configured ones: `.git` stays read-only even if the root is listed
 * as read-write again. A configured path inside `.git` is deeper and wins, which is then the
 * user's explicit choice.
 */
function orderedBinds(layout: BwrapLayout, facts: HostFacts): Bind[] {
  const binds: Bind[] = [
    ...layout.readWrite.map((path) => ({ path, writable: true, rank: 0 })),
    ...layout.readOnly.map((path) => ({ path, writable: false, rank: 0 })),
    { path: layout.root, writable: true, rank: 1 },
    ...facts.gitPaths.map((path) => ({ path, writable: false, rank: 2 })),
  ];
  // Array.prototype.sort is stable, so configured paths keep their given order among themselves.
  return binds.sort((a, b) => depth(a.path) - depth(b.path) || a.rank - b.rank);
}

function depth(path: string): number {
  return path.split('/').filter(Boolean).length;
}

/** Drop directories that lie inside another one in the list: the outer tmpfs already hides them. */
function outermost(dirs: readonly string[]): string[] {
  const unique = [...new Set(dirs)].sort((a, b) => depth(a) - depth(b));
  const kept: string[] = [];
  for (const dir of unique) if (!kept.some((outer) => isInside(outer, dir))) kept.push(dir);
  return kept;
}
