// Layered configuration: defaults < user file < environment < flags make the user's settings; the
// project file (untrusted, see project.ts) may then only tighten them. Each layer is validated on its
// own so an error can name the file (or variable) and the key that is wrong.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { type ProjectConfigReport, tightenWithProject } from './project.js';
import { type Config, type ConfigLayer, ConfigLayerSchema, ConfigSchema, DEFAULTS } from './schema.js';
import { didYouMean } from './did-you-mean.js';

/** Where the user's own config file lives (XDG). */
export function userConfigPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'sprout', 'config.json');
}

/** Environment variables that set config keys. */
const ENV_KEYS: Record<string, { key: keyof Config; kind: 'string' | 'int' | 'bool' }> = {
  SPROUT_PROVIDER: { key: 'provider', kind: 'string' },
  SPROUT_BASE_URL: { key: 'baseUrl', kind: 'string' },
  SPROUT_MODEL: { key: 'model', kind: 'string' },
  SPROUT_MAX_TURNS: { key: 'maxTurns', kind: 'int' },
  SPROUT_SANDBOX: { key: 'sandbox', kind: 'string' },
  SPROUT_TIMEOUT: { key: 'timeoutSeconds', kind: 'int' },
  SPROUT_MAX_RETRIES: { key: 'maxRetries', kind: 'int' },
};

export interface LoadOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Values from command-line flags, already typed (a library caller may leave them out). */
  flags?: ConfigLayer;
  /**
   * A resumed session's project settings as read when it started, used instead of the file: the
   * model may have rewritten `.sprout/config.json` since.
   */
  projectSettings?: Record<string, unknown>;
}

/** The resolved configuration and what the project file did to it. */
export interface LoadedConfig {
  config: Config;
  project: ProjectConfigReport;
}

/** Load and merge every layer; throws ConfigError naming the source and key of a bad value. */
export async function loadConfig(options: LoadOptions): Promise<Config> {
  return (await loadConfigWithProject(options)).config;
}

/** loadConfig, also reporting which project settings were applied and which were ignored. */
export async function loadConfigWithProject(options: LoadOptions): Promise<LoadedConfig> {
  const userFile = userConfigPath(options.env);
  const projectFile = join(options.cwd, '.sprout', 'config.json');
  const flags = validateLayer(options.flags ?? {}, 'command-line flags');
  const layers: ConfigLayer[] = [await readLayerFile(userFile), envLayer(options.env), { ...flags, allowedDomains: undefined }];
  const merged = Object.assign({}, DEFAULTS, ...layers.map(dropUndefined));
  // --allow-domain adds to the list rather than replacing it.
  if (flags.allowedDomains) merged.allowedDomains = [...new Set([...(merged.allowedDomains ?? []), ...flags.allowedDomains])];
  const user = parseOrThrow(ConfigSchema, merged, 'the merged configuration');
  const settings = options.projectSettings
    ? validateLayer(options.projectSettings, `the project settings recorded in the session for ${projectFile}`)
    : await readLayerFile(projectFile);
  const { config, report } = tightenWithProject(user, dropUndefined(settings), projectFile);
  return { config: parseOrThrow(ConfigSchema, config, 'the merged configuration'), project: report };
}

async function readLayerFile(path: string): Promise<ConfigLayer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  const { parseConfigText } = await import('./file-text.js'); // the JSONC parser loads only when there is a file
  return validateLayer(parseConfigText(text, path), `config file ${path}`);
}

function envLayer(env: NodeJS.ProcessEnv): ConfigLayer {
  const layer: Record<string, unknown> = {};
  for (const [name, { key, kind }] of Object.entries(ENV_KEYS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (kind === 'int') {
      if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
      layer[key] = Number(raw);
    } else {
      layer[key] = kind === 'bool' ? raw === '1' || raw === 'true' : raw;
    }
  }
  return validateLayer(layer, 'the environment (SPROUT_* variables)');
}

function validateLayer(value: unknown, source: string): ConfigLayer {
  return parseOrThrow(ConfigLayerSchema, value, source);
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, source: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) return issue.keys.map(unknownKey).join('; ');
    return `${key}: ${issue.message}`;
  });
  throw new ConfigError(`invalid setting in ${source}: ${problems.join('; ')}`);
}

/** `maxTurn: unknown setting (did you mean maxTurns?)`. */
function unknownKey(key: string): string {
  const guess = didYouMean(key, Object.keys(ConfigLayerSchema.shape));
  return `${key}: unknown setting${guess ? ` (did you mean ${guess}?)` : '; see `sprout schema config` for the settings'}`;
}

function dropUndefined(layer: ConfigLayer): ConfigLayer {
  return Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined)) as ConfigLayer;
}
