// The repository the git tool works on, and the checks that it may. Git runs on the host, outside the
// sandbox, so a repository the model could have set up — a `.git` it created with `git init`, a
// `.git` file pointing at another repository — must not make git run programs or write elsewhere.
import { isAbsolute, join, normalize, relative, resolve } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { isInside } from '../../sandbox/paths.js';
import { PathOutsideError, type Sandbox } from '../../sandbox/types.js';
import { ToolError } from '../define-tool.js';

/**
 * Config forced per call on top of openHostGit's. Submodules are left alone because a submodule's own
 * `.git` is writable from the sandbox and its config would apply to a git run inside it.
 */
const CALL_CONFIG = ['diff.ignoreSubmodules=all', 'submodule.recurse=false', 'log.showSignature=false', 'core.quotePath=false', 'color.ui=false'];

/**
 * Config keys that name programs git runs while working (filters on add and checkout, textconv and
 * external diffs, merge drivers on stash pop, signature checks) or move the work tree elsewhere.
 * Trusted from the user's own files, refused from a config file inside the working directory.
 */
const RUNS_PROGRAMS = /^(filter\..+\.(clean|smudge|process)|diff\..+\.(textconv|command)|diff\.external|merge\..+\.driver|gpg\.(.+\.)?program|core\.worktree)$/;

/** Git LFS's own filter settings, as `git lfs install --local` writes them: allowed, since LFS repositories are common. */
const LFS_FILTERS: Record<string, string> = {
  'filter.lfs.clean': 'git-lfs clean -- %f',
  'filter.lfs.smudge': 'git-lfs smudge -- %f',
  'filter.lfs.process': 'git-lfs filter-process',
};

/** A repository that passed the checks, with a runner for its git calls. */
export interface Repo {
  /** True when the working directory is the repository's top, not a subdirectory of it. */
  atTop: boolean;
  /** Run git with a command that changes nothing; returns stdout. */
  read(args: string[]): Promise<string>;
  /** Run git with a command that writes; `config` adds `-c` settings for this call only. */
  write(args: string[], config?: string[]): Promise<string>;
}

const NOT_A_REPO = 'the working directory is not a git repository (nor inside one); if the task needs one, create it with `git init` using the shell tool';

/** Find the working directory's repository and check it; throws ToolError when it is missing or refused. */
export async function openRepo(cwd: string): Promise<Repo> {
  // simple-git loads on the first git call, not when sprout starts.
  const { openHostGit } = await import('../../sandbox/git.js');
  const git = openHostGit(cwd);
  const run = (args: string[], config: string[] = []) => runGit(git, [...CALL_CONFIG, ...config], args);
  const located = await run(['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir']).catch((error: unknown) => {
    throw error instanceof ToolError && /not a git repository/i.test(error.message) ? new ToolError(NOT_A_REPO) : error;
  });
  const [top = '', gitDir = ''] = located.split('\n');
  const config = await configEntries(run, top, cwd);
  const unsafe = config.find(
    (entry) => RUNS_PROGRAMS.test(entry.key) && LFS_FILTERS[entry.key] !== entry.value && entry.files.some((file) => isInside(cwd, file)),
  );
  if (unsafe) {
    throw new ToolError(
      `refused: the repository config sets ${unsafe.key} in a file inside the working directory, which would make git run a program or ` +
        'write outside it on the host. Use the shell tool for git in this repository',
    );
  }
  if (!isInside(top, cwd)) throw new ToolError(`refused: the repository's work tree ${top} does not contain the working directory`);
  if (gitDir !== join(top, '.git') && !config.some((e) => e.key === 'core.worktree')) await checkWorktree(run, top, gitDir);
  return { atTop: top === cwd, read: (args) => run(['--no-optional-locks', ...args]), write: (args, extra) => run(args, extra) };
}

/**
 * A `.git` file may point anywhere. Accept it only for a linked worktree that git itself lists at this
 * top; otherwise the model could have written it to make commits and switches land in another repository.
 */
async function checkWorktree(run: (args: string[]) => Promise<string>, top: string, gitDir: string): Promise<void> {
  const listed = (await run(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice(9));
  if (!listed.includes(top)) {
    throw new ToolError(`refused: ${join(top, '.git')} points to ${gitDir}, which is not a worktree of this directory; use the shell tool for git here`);
  }
}

interface ConfigEntry {
  key: string;
  value: string;
  /** The file the entry comes from, both ways a relative origin can be read; empty for the command line. */
  files: string[];
}

/** Every config entry with its origin. Relative origins are read against both top and cwd, to be safe. */
async function configEntries(run: (args: string[]) => Promise<string>, top: string, cwd: string): Promise<ConfigEntry[]> {
  const fields = (await run(['config', '--list', '--show-origin', '-z'])).split('\0');
  const entries: ConfigEntry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const origin = fields[i] ?? '';
    const [key = '', ...rest] = (fields[i + 1] ?? '').split('\n');
    const file = origin.startsWith('file:') ? origin.slice(5) : '';
    const files = file === '' ? [] : isAbsolute(file) ? [file] : [resolve(top, file), resolve(cwd, file)];
    entries.push({ key, value: rest.join('\n'), files });
  }
  return entries;
}

/**
 * Run git with `config` as `-c` settings; a git failure becomes a ToolError with git's own words and
 * a hint. Pathspecs are literal, so `:/` or `*` in a path cannot widen it past what was checked —
 * except for stash, which takes no path of the model's: with literal pathspecs, git 2.39's
 * `stash push -- .` in a subdirectory stashes the subdirectory but resets the whole work tree.
 */
async function runGit(git: SimpleGit, config: string[], args: string[]): Promise<string> {
  const command = args.find((a) => !a.startsWith('-')) ?? 'git';
  const literal = command === 'stash' ? [] : ['--literal-pathspecs'];
  try {
    return await git.raw([...config.flatMap((c) => ['-c', c]), ...literal, ...args]);
  } catch (error) {
    const { GitError } = await import('simple-git');
    if (!(error instanceof GitError)) throw error;
    const words = error.message.trim();
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
