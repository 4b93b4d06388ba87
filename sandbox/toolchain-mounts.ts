// Toolchains the sandbox would otherwise hide. The bwrap layout hides HOME, /root, /home and gives
// every command a fresh /tmp, so a `python3` from pyenv, `node` from nvm, `cargo` from rustup or
// anything in ~/.local/bin on PATH would silently become the system one, or be missing. Each PATH
// entry under a hidden place gets the toolchain root it lives in (the first directory under HOME:
// ~/.pyenv, ~/.nvm, ~/.cargo with ~/.rustup, ~/go; ~/.local/bin and ~/.local/lib only) mounted
// read-only, at its own path and at its real path, and linked into the sandbox's HOME, where the
// tools look for it by default. Directories that hold secrets are never mounted, whatever PATH says.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HIDDEN_DIRECTORIES } from './bwrap-args.js';
import { isInside } from './paths.js';

/** One read-only bind: host `source` (a real path) at `target` inside. */
export interface ToolchainMount {
  source: string;
  target: string;
}

/** What to mount for the PATH, what to link into the sandbox HOME, and which PATH entries stay hidden. */
export interface ToolchainPlan {
  mounts: ToolchainMount[];
  /** `name` in the sandbox HOME is a symlink to `target` (e.g. .pyenv -> /home/me/.pyenv). */
  homeLinks: { name: string; target: string }[];
  /** PATH entries left hidden, each with the reason, e.g. "/home/me/.ssh/bin (secrets)". */
  hidden: string[];
}

/** Names directly under HOME that hold credentials or keys; never mounted. */
export const SECRET_HOME_NAMES: readonly string[] = [
  '.ssh', '.aws', '.azure', '.config', '.gnupg', '.docker', '.kube', '.npmrc', '.netrc', '.pypirc', '.git-credentials',
  '.password-store', '.vault-token', '.terraform.d', '.gcloud', '.oci', '.pki', '.cache', '.bash_history', '.gem',
];

/** Toolchains that need a sibling: cargo's proxies run the toolchains rustup keeps. */
const COMPANIONS: Readonly<Record<string, readonly string[]>> = { '.cargo': ['.rustup'], '.rustup': ['.cargo'] };

/** ~/.local holds keyrings and app data under share/; only these parts of it are toolchain. */
const LOCAL_PARTS: readonly string[] = ['bin', 'lib'];

/**
 * Plan the mounts for `pathVar` (the PATH commands get). `hiddenRoots` are the places the layout
 * hides (real paths): /root, /home, the real HOME, and /tmp (fresh per command).
 */
export async function planToolchainMounts(pathVar: string, home: string | undefined, hiddenRoots: readonly string[]): Promise<ToolchainPlan> {
  const plan: ToolchainPlan = { mounts: [], homeLinks: [], hidden: [] };
  const roots = new Set<string>();
  for (const entry of new Set(pathVar.split(':').filter((p) => path.isAbsolute(p)).map((p) => path.normalize(p)))) {
    const real = await fs.realpath(entry).catch(() => undefined);
    if (!real || !hiddenRoots.some((h) => isInside(h, entry) || isInside(h, real))) continue;
    const root = toolchainRoot(entry, home, hiddenRoots);
    if (!root) {
      plan.hidden.push(`${entry} (${home && isInside(home, entry) ? 'secrets' : 'not a toolchain directory'})`);
      continue;
    }
    roots.add(root);
    const name = home && path.dirname(root) === home ? path.basename(root) : undefined;
    for (const companion of (name && COMPANIONS[name]) || []) roots.add(path.join(home ?? '', companion));
  }
  for (const root of roots) await addRoot(plan, root, home);
  return plan;
}

/** The directory to mount for a hidden PATH entry, or undefined when it must stay hidden. */
function toolchainRoot(entry: string, home: string | undefined, hiddenRoots: readonly string[]): string | undefined {
  let base = home && isInside(home, entry) ? home : hiddenRoots.filter((h) => isInside(h, entry)).sort((a, b) => b.length - a.length)[0];
  if (!base || base === entry) return undefined;
  let parts = path.relative(base, entry).split(path.sep);
  // Under /home each user's directory is a home of its own: never mount one whole.
  if (base === '/home') [base, parts] = [path.join(base, parts[0] ?? ''), parts.slice(1)];
  const first = parts[0] ?? '';
  if (first === '' || SECRET_HOME_NAMES.includes(first)) return undefined;
  if (first === '.local') return LOCAL_PARTS.includes(parts[1] ?? '') ? path.join(base, first, parts[1] ?? '') : undefined;
  return path.join(base, first);
}

async function addRoot(plan: ToolchainPlan, root: string, home: string | undefined): Promise<void> {
  const source = await fs.realpath(root).catch(() => undefined);
  if (!source || !(await fs.stat(source)).isDirectory()) return;
  const add = (target: string) => {
    if (!plan.mounts.some((m) => m.target === target)) plan.mounts.push({ source, target });
  };
  add(root);
  // Shims and wrappers often name their toolchain by its real path (pyenv's shims do).
  if (source !== root) add(source);
  if (home && path.dirname(root) === home) plan.homeLinks.push({ name: path.basename(root), target: root });
}

/** The plan for this host: what the bwrap layout hides (its masked directories, `home`, the fresh /tmp), real paths. */
export async function hostToolchains(pathVar: string, home: string | undefined): Promise<ToolchainPlan> {
  const realHome = home ? await fs.realpath(home).catch(() => undefined) : undefined;
  const candidates = [...HIDDEN_DIRECTORIES, '/tmp', ...(realHome ? [realHome] : [])];
  const masked = (await Promise.all(candidates.map((dir) => fs.realpath(dir).catch(() => undefined)))).filter((d): d is string => d !== undefined);
  return planToolchainMounts(pathVar, realHome, [...new Set(masked)]);
}

/** The lines a user reads about it: what was mounted, and what stayed hidden. */
export function describeToolchains(plan: ToolchainPlan): string[] {
  const mounted = [...new Set(plan.mounts.map((m) => m.target))];
  return [
    ...(mounted.length > 0 ? [`toolchains on PATH mounted read-only: ${mounted.join(', ')}`] : []),
    ...(plan.hidden.length > 0 ? [`PATH entries left hidden: ${plan.hidden.join(', ')}`] : []),
  ];
}

// "bash: line 1: foo: command not found", "env: 'foo': No such file or directory", "/x/y: No such file or directory".
const MISSING = /(?:^|\n)(?:[\w./-]+: )*(?:line \d+: )?'?([\w./+-]+)'?: (?:command not found|not found|No such file or directory)/g;

/**
 * When a command failed because something it needs exists on the host but lies in a place the
 * sandbox hides, the sentence saying which path was hidden and how to let it in; undefined otherwise.
 */
export async function hiddenPathNote(output: string, pathVar: string, masked: readonly string[], plan: ToolchainPlan): Promise<string | undefined> {
  const notes: string[] = [];
  const visible = (p: string) => plan.mounts.some((m) => isInside(m.target, p) || isInside(m.source, p));
  for (const name of new Set([...output.matchAll(MISSING)].map((m) => m[1] ?? ''))) {
    const candidates = name.includes('/') ? (path.isAbsolute(name) ? [name] : []) : pathVar.split(':').filter((d) => path.isAbsolute(d)).map((d) => path.join(d, name));
    for (const candidate of candidates) {
      const hiddenBy = masked.find((dir) => isInside(dir, candidate));
      if (!hiddenBy || visible(candidate) || !(await fs.stat(candidate).catch(() => undefined))) continue;
      notes.push(`${candidate} exists on the host, but the sandbox hides ${hiddenBy}; add ${path.dirname(candidate)} to sandbox.readOnly in the config to use it`);
      break;
    }
  }
  return notes.length > 0 ? `[sprout: ${notes.join('; ')}]` : undefined;
}
