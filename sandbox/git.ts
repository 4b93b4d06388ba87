// The one door for git that sprout itself runs on the host (the git tool, change tracking,
// --patch-out, --commit, batch worktrees). Git on the host reads state the model or the repository
// controls, so the door makes that state unable to choose a program, by construction:
//   - it works only on the repository that held the working directory when the run started, and
//     pins it (GIT_DIR, GIT_WORK_TREE), so a `.git` the model makes later is never discovered; one
//     at the working directory itself is refused outright, with what was refused;
//   - no system or global config file is read (the user's ignore rules and allowed filters are
//     copied in at command scope), every program-naming key is overridden at command scope, and so
//     is every filter, diff and merge driver the repository config names, enumerated on each call;
//   - repository config that includes a file the model could write is refused: that file could
//     change between the enumeration and git's own read (sandbox/git-includes.ts decides which);
//   - diff-like commands get --no-ext-diff and --no-textconv, and no transport is allowed.
import { lstat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { ConfigListingCache } from './git-config-cache.js';
import { configEnv, driverOverrides, FIXED_CONFIG, includeTarget, parseConfigList, userSettings, type ConfigEntry, type ConfigPair } from './git-config.js';
import { modelWritable, type WritablePlaces } from './git-includes.js';
import { isInside } from './paths.js';

/** Bytes of a git command's output kept; a patch of a whole run can be large. */
const GIT_OUTPUT_BYTES = 512 * 1024 * 1024;

/** Flags the door adds after these subcommands so that no diff program or textconv runs. */
const DIFF_FLAGS: Record<string, readonly string[]> = {
  diff: ['--no-ext-diff', '--no-textconv', '--ignore-submodules=all'],
  log: ['--no-ext-diff', '--no-textconv'],
  show: ['--no-ext-diff', '--no-textconv'],
  blame: ['--no-textconv'],
  status: ['--ignore-submodules=all'],
};

/** Environment a caller may add (a scratch index, an identity); nothing that changes what git trusts. */
const CALLER_ENV = /^(GIT_INDEX_FILE|GIT_LITERAL_PATHSPECS|GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL|DATE)|GIT_OPTIONAL_LOCKS)$/;

/** Host-side git was refused: the message says what and why. Whoever reports it shows it whole. */
export class GitRefusedError extends Error {
  constructor(message: string) {
    super(`refused: ${message}`);
    this.name = 'GitRefusedError';
  }
}

/** Git ran and failed; `stderr` holds git's own words. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    super(`git ${args.find((a) => !a.startsWith('-')) ?? ''} failed: ${stderr.trim() || `exit code ${exitCode}`}`);
    this.name = 'GitCommandError';
  }
}

/** The repository the working directory was in when the run started. */
export interface StartRepo {
  gitDir: string;
  commonDir: string;
  /** The top of the work tree; contains the working directory. */
  top: string;
}

export interface GitDoorOptions {
  /** The user's environment (PATH, HOME and where their git config lives). */
  env?: NodeJS.ProcessEnv;
  /** Filter drivers the user allows by name (e.g. `lfs`), defined by the user's own git config. */
  allowedFilters?: readonly string[];
  /** Host paths the model can write besides the working directory (the sandbox's read-write mounts). */
  writable?: readonly string[];
}

export interface GitRunOptions {
  /** Environment added for this call; only CALLER_ENV names. */
  env?: Record<string, string>;
  /** Settings for this call only, at command scope after the door's (e.g. user.name). */
  config?: readonly ConfigPair[];
  /** Told the drivers of the repository config this call switched off (only when there are any). */
  onDisabled?: (drivers: string[]) => void;
}

/** The door, opened once when a run starts. */
export interface GitDoor {
  readonly root: string;
  /** Undefined when the working directory was in no repository sprout may use; `reason` says why. */
  readonly repo: StartRepo | undefined;
  readonly reason: string | undefined;
  /** True when the working directory was in no repository at all (not one refused). */
  readonly missing: boolean;
  /** Drivers of the repository config the door switched off so far, e.g. `filter "x"`. */
  readonly disabled: ReadonlySet<string>;
  /** Run `git args` in the working directory; resolves to stdout. Throws GitRefusedError or GitCommandError. */
  run(args: readonly string[], options?: GitRunOptions): Promise<string>;
}

/** Open the door for `root` (a real path): find its repository now, before the model has acted. */
export async function openGitDoor(root: string, options: GitDoorOptions = {}): Promise<GitDoor> {
  const env = options.env ?? process.env;
  const allowed = new Set(options.allowedFilters ?? []);
  // Independent reads, so they run side by side: this is on the way to a run's first request.
  const [userEntries, found, dotGitAtStart] = await Promise.all([readUserConfig(env), findRepo(root, env), exists(join(root, '.git'))]);
  const user = userSettings(userEntries, allowed);
  const disabled = new Set<string>();
  const listings = new ConfigListingCache({ gitDir: 'repo' in found ? found.repo.gitDir : '', commonDir: 'repo' in found ? found.repo.commonDir : '', home: env.HOME });
  const places = (repo: StartRepo): WritablePlaces => ({ writable: [root, ...(options.writable ?? [])], protectedDirs: [repo.gitDir, repo.commonDir] });
  return {
    root,
    repo: 'repo' in found ? found.repo : undefined,
    reason: 'reason' in found ? found.reason : undefined,
    missing: 'missing' in found,
    disabled,
    async run(args, callOptions = {}) {
      if (!('repo' in found)) throw new GitRefusedError(found.reason);
      const repo = found.repo;
      if (!dotGitAtStart && (await exists(join(root, '.git')))) {
        throw new GitRefusedError(
          `${join(root, '.git')} was made during the run: it is the model's repository, and sprout runs no host-side git in it (the run started in ${repo.top})`,
        );
      }
      const entries = (await listings.reuse()) ?? (await checkedListing(root, repo, env, places(repo), listings));
      const drivers = driverOverrides(entries, allowed);
      for (const name of drivers.disabled) disabled.add(name);
      if (drivers.disabled.length > 0) callOptions.onDisabled?.(drivers.disabled);
      const pairs = [...FIXED_CONFIG, { key: 'safe.directory', value: repo.top }, ...drivers.pairs, ...user, ...(callOptions.config ?? [])];
      return git(root, withDiffFlags(args), { ...doorEnv(env, repo), ...callerEnv(callOptions.env), ...configEnv(pairs) });
    },
  };
}

/** The repository's config as git lists it for a call, refused when it includes a file the model could write. */
async function checkedListing(root: string, repo: StartRepo, env: NodeJS.ProcessEnv, places: WritablePlaces, listings: ConfigListingCache): Promise<readonly ConfigEntry[]> {
  const fixed = configEnv([...FIXED_CONFIG, { key: 'safe.directory', value: repo.top }]);
  const listing = await listings.list(async () => parseConfigList(await git(root, ['config', '--list', '-z', '--show-scope', '--show-origin'], { ...doorEnv(env, repo), ...fixed })));
  const include = await writableInclude(listing.entries, repo, places, env.HOME);
  if (include) throw new GitRefusedError(`the repository config includes ${include}; host-side git never reads config the model could change`);
  listing.keep();
  return listing.entries;
}

/** The whole environment of a door call: the repository pinned, no config file but the repository's, no prompt, no transport. */
function doorEnv(env: NodeJS.ProcessEnv, repo: StartRepo): Record<string, string> {
  return {
    PATH: env.PATH ?? '/usr/bin:/bin',
    HOME: env.HOME ?? '/nonexistent',
    ...(env.XDG_CONFIG_HOME ? { XDG_CONFIG_HOME: env.XDG_CONFIG_HOME } : {}),
    LANG: 'C.UTF-8',
    GIT_DIR: repo.gitDir,
    GIT_WORK_TREE: repo.top,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null', // the user's settings that matter are copied in at command scope
    GIT_ATTR_NOSYSTEM: '1',
    GIT_ALLOW_PROTOCOL: '', // set and empty: no transport at all, whatever protocol.<name>.allow says
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_EDITOR: 'true',
    GIT_SEQUENCE_EDITOR: 'true',
    GIT_LFS_SKIP_SMUDGE: '1', // an allowed LFS filter never downloads from a server the repository names
  };
}

/** The user's own git environment (where their config files are), for reading their config and safe.directory rules. */
function userGitEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = { PATH: env.PATH ?? '/usr/bin:/bin', HOME: env.HOME ?? '/nonexistent', LANG: 'C.UTF-8' };
  for (const name of ['XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM']) if (env[name] !== undefined) out[name] = env[name] as string;
  return out;
}

/** The commit HEAD names now; undefined outside git, in a repository with no commits, or when the door refuses. */
export async function headCommit(door: GitDoor): Promise<string | undefined> {
  if (!door.repo) return undefined;
  try {
    return (await door.run(['rev-parse', '--verify', '-q', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Make a new repository at `root` (sprout's own: a batch task's copy) and open the door on it. A
 * `.git` already there is refused: git init follows a `.git` file and would re-initialise the
 * repository it names.
 */
export async function initRepository(root: string, options: GitDoorOptions = {}): Promise<GitDoor> {
  const env = options.env ?? process.env;
  if (await exists(join(root, '.git'))) throw new GitRefusedError(`${join(root, '.git')} already exists; sprout makes a new repository only where there is none`);
  const base = { PATH: env.PATH ?? '/usr/bin:/bin', HOME: env.HOME ?? '/nonexistent', LANG: 'C.UTF-8', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  await git(root, ['init', '-q'], { ...base, GIT_DIR: join(root, '.git'), ...configEnv(FIXED_CONFIG) });
  return openGitDoor(root, options);
}

/** What the door switched off so far, as sentences for a run's result. */
export function gitNotes(door: GitDoor | undefined): string[] {
  const names = [...(door?.disabled ?? [])];
  return names.length === 0 ? [] : [`host-side git ignored the repository config's ${names.join(', ')}: sprout never runs a program the repository names`];
}

/**
 * The first config file the repository's config reads, or names to include, that the model could
 * write, described; undefined when there is none. Checked are the files entries came from and every
 * include target, conditional or not, resolved as git resolves it (relative to the including file).
 */
async function writableInclude(entries: readonly ConfigEntry[], repo: StartRepo, places: WritablePlaces, home: string | undefined): Promise<string | undefined> {
  const own = new Set([join(repo.commonDir, 'config'), join(repo.gitDir, 'config.worktree')].map((file) => resolve(file)));
  for (const entry of entries) {
    if (entry.scope !== 'local' && entry.scope !== 'worktree') continue;
    if (!own.has(resolve(entry.origin))) {
      const reason = await modelWritable(entry.origin, places);
      if (reason) return `config from ${entry.origin} (${reason})`;
    }
    const target = includeTarget(entry, home);
    if (target === undefined) continue;
    const reason = await modelWritable(target, places);
    if (reason) return `another file (${entry.key}=${entry.value}: ${reason})`;
  }
  return undefined;
}

/** `--no-pager`, then the subcommand and the flags it must carry, then the rest. */
function withDiffFlags(args: readonly string[]): string[] {
  const at = args.findIndex((a) => !a.startsWith('-'));
  if (at < 0) return ['--no-pager', ...args];
  const flags = DIFF_FLAGS[args[at] ?? ''] ?? [];
  return ['--no-pager', ...args.slice(0, at + 1), ...flags, ...args.slice(at + 1)];
}

function callerEnv(env: Record<string, string> = {}): Record<string, string> {
  for (const name of Object.keys(env)) if (!CALLER_ENV.test(name)) throw new Error(`openGitDoor: ${name} may not be set for a git call`);
  return env;
}

/** Run git with exactly `env`, no stdin; stdout on success, GitCommandError otherwise. */
async function git(cwd: string, args: readonly string[], env: Record<string, string>): Promise<string> {
  const result = await execa('git', args, { cwd, env, extendEnv: false, stdin: 'ignore', reject: false, maxBuffer: GIT_OUTPUT_BYTES, stripFinalNewline: false });
  if (result.exitCode !== 0 || result.failed) throw new GitCommandError(args, result.exitCode, String(result.stderr || result.message || ''));
  return String(result.stdout);
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

/**
 * The user's own git config (system and global files), read outside any repository. Trusted: it is
 * the user's; only the settings userSettings keeps are used.
 */
async function readUserConfig(env: NodeJS.ProcessEnv): Promise<ReturnType<typeof parseConfigList>> {
  const userEnv = { ...userGitEnv(env), GIT_DIR: '/nonexistent' };
  const read = (scope: string) => git('/', ['config', scope, '--includes', '--list', '-z', '--show-scope', '--show-origin'], userEnv).catch(() => '');
  const [system, global] = await Promise.all([read('--system'), read('--global')]);
  return [...parseConfigList(system), ...parseConfigList(global)]; // system first: global settings override it
}

type Found = { repo: StartRepo } | { reason: string; missing?: true };

/**
 * Where the working directory's repository is, under the user's own safe.directory rules (so a
 * repository owned by someone else is refused as git itself would refuse it). A `.git` file must
 * belong to a worktree git lists, or the git tool's commits could land in any repository it names.
 */
async function findRepo(root: string, env: NodeJS.ProcessEnv): Promise<Found> {
  const userEnv = { ...userGitEnv(env), ...configEnv(FIXED_CONFIG) };
  let out: string;
  try {
    out = await git(root, ['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir', '--show-toplevel'], userEnv);
  } catch (error) {
    const words = error instanceof GitCommandError ? error.stderr.trim().split('\n')[0] ?? '' : String(error);
    if (/not a git repository/i.test(words)) {
      return { reason: `${root} was not in a git repository when the run started (a .git made during the run is the model's)`, missing: true };
    }
    return { reason: `git cannot use the repository of ${root}: ${words}` };
  }
  const [gitDir = '', commonDir = '', top = ''] = out.trim().split('\n');
  if (top === '' || !isInside(top, root)) return { reason: `the repository's work tree ${top || '(none)'} does not contain the working directory ${root}` };
  const repo = { gitDir, commonDir, top };
  if (gitDir === join(top, '.git')) return { repo };
  const listed = await git(root, ['worktree', 'list', '--porcelain'], userEnv).catch(() => '');
  if (listed.split('\n').includes(`worktree ${top}`)) return { repo };
  return { reason: `${join(top, '.git')} points to ${gitDir}, which is not a worktree of this directory` };
}
