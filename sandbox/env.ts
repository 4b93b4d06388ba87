// The environment of processes run on the model's behalf: an allowlist, never the host's whole
// environment, so API keys and tokens of the user's shell do not leak into commands (and from
// there into the model's context or a log).

/** What buildToolEnv needs besides the host environment. */
export interface ToolEnvOptions {
  /** Extra names to pass through, by exact name; a name listed here passes even if it looks secret. */
  allow: readonly string[];
  /** The HOME the process sees. */
  home: string;
}

/** Names passed through when set: what tools need to find programs, speak the locale, know they run in CI and colour as the user's CI would. */
const BASE_NAMES = ['PATH', 'LANG', 'TERM', 'TZ', 'TMPDIR', 'CI', 'GITHUB_ACTIONS', 'NO_COLOR', 'FORCE_COLOR'];

/**
 * Set on every process because nobody can answer a prompt: stdin is closed and output goes to the
 * model, not a terminal. Without these git asks for credentials or opens a pager or an editor and
 * the command hangs until its timeout. Colour is left to the user's own settings (passed through
 * above): forcing NO_COLOR changes what a suite that tests colour detection sees; the tool runner
 * strips colour codes from what the model reads instead.
 */
const NON_INTERACTIVE: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_EDITOR: 'true',
  PAGER: 'cat',
  GIT_PAGER: 'cat',
};

/** True for names that usually hold credentials: `*_KEY`, `*_TOKEN`, `*_SECRET`, `*PASSWORD*`, `*API_KEY*` (any case). */
export function looksSecret(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    upper.endsWith('_KEY') ||
    upper.endsWith('_TOKEN') ||
    upper.endsWith('_SECRET') ||
    upper.includes('PASSWORD') ||
    upper.includes('API_KEY')
  );
}

/**
 * Build the environment for tool processes from `hostEnv`: the base names, `LC_*`, and the names in
 * `allow`, minus anything that looks secret unless `allow` names it exactly; then the
 * non-interactive defaults (which an allowed name overrides) and HOME.
 */
export function buildToolEnv(hostEnv: NodeJS.ProcessEnv, options: ToolEnvOptions): Record<string, string> {
  const allowed = new Set(options.allow);
  const env: Record<string, string> = { ...NON_INTERACTIVE };
  for (const [name, value] of Object.entries(hostEnv)) {
    if (value === undefined) continue;
    const wanted = allowed.has(name) || BASE_NAMES.includes(name) || name.startsWith('LC_');
    // Only an exact allow entry lets a secret-looking name through: `LC_*` or a base name never does.
    if (!wanted || (looksSecret(name) && !allowed.has(name))) continue;
    env[name] = value;
  }
  env.HOME = options.home;
  return env;
}
