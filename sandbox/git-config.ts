// The config host-side git runs under, built by sprout rather than trusted from the repository. Git
// reads the repository's own config (.git/config) whatever we do, so every setting that can name a
// program is overridden at command scope, which outranks every file. The fixed keys are listed
// here; the keys that carry a name chosen by the config itself (filter.<x>.clean, diff.<x>.textconv,
// merge.<x>.driver) are enumerated from the config of each call and overridden one by one.
import { dirname, join, resolve } from 'node:path';

/** One setting given to git at command scope. */
export interface ConfigPair {
  key: string;
  value: string;
}

/** One entry of `git config --list --show-scope --show-origin`. */
export interface ConfigEntry {
  scope: string;
  /** The file it came from as git names it ("" for the command line). */
  origin: string;
  /** Section and variable names lower-cased by git; a subsection keeps its case. */
  key: string;
  value: string;
}

/** Settings forced onto every host-side git call: each would otherwise let config choose a program or a network peer. */
export const FIXED_CONFIG: readonly ConfigPair[] = [
  { key: 'core.hooksPath', value: '/dev/null' }, // no hook runs, from .git/hooks or any hooksPath
  { key: 'core.fsmonitor', value: 'false' }, // an fsmonitor command would run on every status
  { key: 'core.pager', value: 'cat' },
  { key: 'core.editor', value: 'true' }, // nothing waits for, or runs, an editor
  { key: 'sequence.editor', value: 'true' },
  { key: 'core.sshCommand', value: 'false' }, // no transport is allowed anyway (GIT_ALLOW_PROTOCOL)
  { key: 'core.askPass', value: '' },
  { key: 'credential.helper', value: '' }, // an empty value clears every helper configured before
  { key: 'diff.external', value: '' }, // besides --no-ext-diff on every diff-like command
  { key: 'commit.gpgSign', value: 'false' }, // signing and checking signatures run gpg or ssh-keygen
  { key: 'tag.gpgSign', value: 'false' },
  { key: 'log.showSignature', value: 'false' },
  { key: 'gpg.program', value: 'false' },
  { key: 'gpg.openpgp.program', value: 'false' },
  { key: 'gpg.x509.program', value: 'false' },
  { key: 'gpg.ssh.program', value: 'false' },
  { key: 'gpg.ssh.defaultKeyCommand', value: '' },
  { key: 'protocol.allow', value: 'never' },
  { key: 'submodule.recurse', value: 'false' }, // a submodule's own config would apply inside it
  { key: 'diff.ignoreSubmodules', value: 'all' },
  { key: 'diff.submodule', value: 'short' },
  { key: 'status.submoduleSummary', value: 'false' },
  { key: 'fetch.recurseSubmodules', value: 'false' },
  { key: 'blame.ignoreRevsFile', value: '' }, // a path the repository names is not read
  { key: 'gc.auto', value: '0' }, // no background repacking after a commit
  { key: 'maintenance.auto', value: 'false' },
  { key: 'merge.default', value: 'text' }, // the built-in 3-way merge for paths without a merge attribute
];

/** The program-naming variables of each kind of driver, set to empty (git then runs nothing) or off. */
const DRIVER_KEYS: Record<string, readonly ConfigPair[]> = {
  filter: [
    { key: 'clean', value: '' },
    { key: 'smudge', value: '' },
    { key: 'process', value: '' },
    { key: 'required', value: 'false' },
  ],
  diff: [
    { key: 'textconv', value: '' },
    { key: 'command', value: '' },
  ],
  merge: [{ key: 'driver', value: '' }],
};

/** Parse `git config --list -z --show-scope --show-origin` output. */
export function parseConfigList(output: string): ConfigEntry[] {
  const fields = output.split('\0');
  const entries: ConfigEntry[] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [key = '', ...rest] = (fields[i + 2] ?? '').split('\n');
    entries.push({ scope: fields[i] ?? '', origin: (fields[i + 1] ?? '').replace(/^file:/, ''), key, value: rest.join('\n') });
  }
  return entries;
}

/**
 * The file an `include.path` or `includeIf.<condition>.path` entry names, resolved as git resolves
 * it (`~/` from HOME, else relative to the including file); undefined for any other entry.
 */
export function includeTarget(entry: ConfigEntry, home: string | undefined): string | undefined {
  if (!/^include(if\..*)?\.path$/.test(entry.key)) return undefined;
  return entry.value.startsWith('~/') && home ? join(home, entry.value.slice(2)) : resolve(dirname(entry.origin), entry.value);
}

/** The driver a key configures, e.g. `filter.a.b.clean` -> ['filter', 'a.b']; undefined for other keys. */
function driverOf(key: string): [string, string] | undefined {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first < 0 || last <= first) return undefined;
  const kind = key.slice(0, first);
  return kind in DRIVER_KEYS ? [kind, key.slice(first + 1, last)] : undefined;
}

/**
 * Overrides that switch off every filter, diff and merge driver setting the config holds: each
 * program-naming key it sets becomes empty, `required` becomes false. Only keys the config sets are
 * touched: an empty `merge.text.driver` would replace git's built-in merge, and an empty
 * `filter.x.process` would shadow an allowed filter's `clean`. A key set nowhere names no program.
 * Filters in `allowed` are switched off too, so no value of the repository's survives; the caller
 * then sets them again from the user's own config (a later command-scope value wins). `disabled`
 * names the drivers that named a program and stay off, as `filter "x"`, for reporting.
 */
export function driverOverrides(entries: readonly ConfigEntry[], allowed: ReadonlySet<string>): { pairs: ConfigPair[]; disabled: string[] } {
  const pairs = new Map<string, ConfigPair>();
  const disabled = new Set<string>();
  for (const entry of entries) {
    const driver = driverOf(entry.key);
    const variable = entry.key.slice(entry.key.lastIndexOf('.') + 1);
    const neutral = driver && DRIVER_KEYS[driver[0]]?.find((k) => k.key === variable);
    if (!driver || !neutral) continue;
    pairs.set(entry.key, { key: entry.key, value: neutral.value });
    const [kind, name] = driver;
    if (variable !== 'required' && entry.value !== '' && !(kind === 'filter' && allowed.has(name))) disabled.add(`${kind} "${name}"`);
  }
  return { pairs: [...pairs.values()], disabled: [...disabled] };
}

/** The user's own settings host-side git keeps: where their ignore rules live, and the filters they allow by name. */
export function userSettings(entries: readonly ConfigEntry[], allowedFilters: ReadonlySet<string>): ConfigPair[] {
  const kept: ConfigPair[] = [];
  for (const entry of entries) {
    const driver = driverOf(entry.key);
    const filter = driver?.[0] === 'filter' && allowedFilters.has(driver[1]);
    if (filter || entry.key === 'core.excludesfile' || entry.key === 'init.defaultbranch') kept.push({ key: entry.key, value: entry.value });
  }
  return kept;
}

/** Command-scope settings as environment (GIT_CONFIG_COUNT): unlike `-c`, a key may hold any character, `=` included. */
export function configEnv(pairs: readonly ConfigPair[]): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(pairs.length) };
  pairs.forEach((pair, i) => {
    env[`GIT_CONFIG_KEY_${i}`] = pair.key;
    env[`GIT_CONFIG_VALUE_${i}`] = pair.value;
  });
  return env;
}
