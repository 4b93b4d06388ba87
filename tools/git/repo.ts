// The repository the git tool works on. Git runs on the host, outside the sandbox, through the one
// host-side door (sandbox/git.ts): it decides which repository may be used (the one the run started
// in) and neutralises whatever the repository's config could make git run. This module only turns
// the door's answers into tool results.
import { isAbsolute, normalize, relative } from 'node:path';
import { GitCommandError, GitRefusedError, openGitDoor, type GitDoor, type GitRunOptions } from '../../sandbox/git.js';
import { PathOutsideError, type Sandbox } from '../../sandbox/types.js';
import { ToolError, type ToolContext } from '../define-tool.js';

/** Settings of the git tool's output on top of the door's. */
const CALL_CONFIG = [
  { key: 'log.showSignature', value: 'false' },
  { key: 'core.quotePath', value: 'false' },
  { key: 'color.ui', value: 'false' },
];

/** A repository the door accepted, with a runner for its git calls. */
export interface Repo {
  /** True when the working directory is the repository's top, not a subdirectory of it. */
  atTop: boolean;
  /** Run git with a command that changes nothing; returns stdout. */
  read(args: string[]): Promise<string>;
  /** Run git with a command that writes; `config` adds `key=value` settings for this call only. */
  write(args: string[], config?: string[]): Promise<string>;
  /** Drivers of the repository config the door switched off during this tool call, e.g. `filter "x"`. */
  disabled: Set<string>;
}

const NOT_A_REPO =
  'the working directory was not in a git repository when the run started, so the git tool has none to work on ' +
  '(a .git made during the run is the model\'s, and sprout runs no host-side git in it); use git in the shell tool instead';

/** The run's door (or, outside a run, one opened now) and its repository; throws ToolError when there is none. */
export async function openRepo(ctx: Pick<ToolContext, 'cwd' | 'gitDoor'>): Promise<Repo> {
  const door = ctx.gitDoor ?? (await openGitDoor(ctx.cwd));
  if (!door.repo) throw new ToolError(door.missing ? NOT_A_REPO : `refused: ${door.reason}; use the shell tool for git here`);
  const disabled = new Set<string>();
  const onDisabled = (names: string[]) => names.forEach((name) => disabled.add(name));
  const run = (args: string[], config: string[] = []) => runGit(door, { config: [...CALL_CONFIG, ...config.map(pair)], onDisabled }, args);
  return { atTop: door.repo.top === ctx.cwd, read: (args) => run(['--no-optional-locks', ...args]), write: (args, extra) => run(args, extra), disabled };
}

function pair(setting: string): { key: string; value: string } {
  const at = setting.indexOf('=');
  return { key: setting.slice(0, at), value: setting.slice(at + 1) };
}

/**
 * Run git through the door; a refusal or a git failure becomes a ToolError with the door's or git's
 * own words and a hint, and the drivers the door switched off are named. Pathspecs are literal, so
 * `:/` or `*` in a path cannot widen it past what was checked — except for stash, which takes no
 * path of the model's: with literal pathspecs, git 2.39's `stash push -- .` in a subdirectory
 * stashes the subdirectory but resets the whole work tree.
 */
async function runGit(door: GitDoor, options: GitRunOptions, args: string[]): Promise<string> {
  const command = args.find((a) => !a.startsWith('-')) ?? 'git';
  const literal = command === 'stash' ? [] : ['--literal-pathspecs'];
  try {
    return await door.run([...literal, ...args], options);
  } catch (error) {
    if (error instanceof GitRefusedError) throw new ToolError(`${error.message}. Use the shell tool for git in this repository`);
    if (!(error instanceof GitCommandError)) throw error;
    const words = error.stderr.trim();
    throw new ToolError(`git ${command} failed: ${words}${hintFor(words)}`);
  }
}

const HINTS: Array<[RegExp, string]> = [
  [/would be overwritten|Your local changes/i, 'commit or stash those changes first; the git tool never discards them when switching'],
  [/did not match any file|pathspec .* did not match/i, 'check the path with `status` (paths are relative to the working directory)'],
  [/unknown revision|bad revision|not a valid object name|invalid reference|bad object|ambiguous argument/i, 'check the ref with `log` or `branch`'],
  [/ignored by one of your \.gitignore/i, 'ignored files are not added; adding them by force is refused'],
  [/index\.lock/i, 'another git process is writing the index; try again'],
];

function hintFor(words: string): string {
  const hint = HINTS.find(([pattern]) => pattern.test(words));
  return hint ? `\nHint: ${hint[1]}` : '';
}

/**
 * Paths as git should get them: relative to the working directory, confined to it both physically
 * (the sandbox follows symlinks) and as git reads them (lexically, `..` and all).
 */
export async function gitPaths(sandbox: Sandbox, paths: readonly string[]): Promise<string[]> {
  const root = sandbox.root;
  const out: string[] = [];
  for (const path of paths) {
    const real = await sandbox.resolvePath(path);
    // An absolute path may reach the root through a symlink; its real path is the one git can use.
    const rel = isAbsolute(path) ? relative(root, real) : normalize(path).replace(/\/+$/, '');
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) throw new PathOutsideError(path, root);
    out.push(rel === '' ? '.' : rel);
  }
  return out;
}
