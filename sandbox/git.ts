// The host-side git handle: git runs on the host (the sandbox mounts .git read-only), so every call
// disables what a repository could use to run code on the host — hooks, fsmonitor, pagers, editors —
// and never prompts for credentials.
import { simpleGit, type SimpleGit } from 'simple-git';

/** Config forced onto every git call made for the model. */
export const SAFE_GIT_CONFIG = [
  'core.hooksPath=/dev/null', // hooks from .git/hooks or a repo-set hooksPath never run
  'core.fsmonitor=false', // an fsmonitor command in config would run on every status
  'core.pager=cat',
  'core.editor=true', // nothing can wait for an editor
  'commit.gpgSign=false', // signing needs keys and agents the run must not reach
  'credential.helper=', // no stored credentials are read
];

/**
 * A simple-git instance for `root` with the safe config and a clean environment: PATH and HOME from
 * `env`, plus `extra` (e.g. GIT_INDEX_FILE); nothing else of sprout's environment reaches git.
 */
export function openHostGit(root: string, env: NodeJS.ProcessEnv = process.env, extra: Record<string, string> = {}): SimpleGit {
  return simpleGit({
    baseDir: root,
    config: SAFE_GIT_CONFIG,
    maxConcurrentProcesses: 1,
    // simple-git refuses these keys because they can name programs to run; ours switch them off.
    unsafe: {
      allowUnsafeHooksPath: true,
      allowUnsafeFsMonitor: true,
      allowUnsafePager: true,
      allowUnsafeEditor: true,
      allowUnsafeCredentialHelper: true,
    },
  }).env({
    PATH: env.PATH ?? '/usr/bin:/bin',
    HOME: env.HOME ?? '/nonexistent',
    LANG: 'C.UTF-8',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  });
}
