// Everything `sprout run` settles before the loop starts: the session to resume, the working
// directory, config, the task, the key and the model profile. Throws the typed errors of the CLI.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { type ApiKey, lookupApiKey, PROVIDERS } from '../config/providers.js';
import type { Config, ConfigLayer } from '../config/schema.js';
import { InputError } from '../errors.js';
import { findProfile, type ModelProfile } from '../model/profiles.js';
import type { LoadedSession } from '../session/records.js';
import { findSession } from './run-setup.js';
import { resolveTask } from './task-input.js';

/** Parsed `sprout run` options. */
export interface RunFlags {
  issue?: string;
  cwd: string;
  json: boolean;
  /** A session id or `last`. */
  resume?: string;
  /** The check to run when the model stops: a command, false for none, undefined for the default. */
  verify?: string | false;
  /** --prove / --no-prove; undefined for the default (on for issue runs). */
  prove?: boolean;
  evidenceOut?: string;
  /** CI outputs. */
  patchOut?: string;
  commit: boolean;
  branch?: string;
  summaryOut?: string;
  config: ConfigLayer;
}

export interface PreparedRun {
  cwd: string;
  config: Config;
  /** Undefined when resuming without new instructions. */
  task: string | undefined;
  /** True when the task came from an issue: such a run must change something to succeed. */
  fromIssue: boolean;
  key: ApiKey;
  profile: ModelProfile;
  resumed: LoadedSession | undefined;
  sessionId: string;
}

export async function prepareRun(
  taskArg: string | undefined,
  flags: RunFlags,
  env: NodeJS.ProcessEnv,
  readStdin: () => Promise<string>,
): Promise<PreparedRun> {
  const resumed = flags.resume ? findSession(env, flags.resume, await checkDirectory(flags.cwd)) : undefined;
  const cwd = await checkDirectory(resumed?.header.cwd ?? flags.cwd);
  // A resumed session keeps its model and provider unless the command line names others.
  const layer: ConfigLayer = {
    ...flags.config,
    model: flags.config.model ?? resumed?.header.model,
    provider: flags.config.provider ?? (resumed?.header.provider as ConfigLayer['provider']),
  };
  const config = await loadConfig({ cwd, env, flags: layer });
  // In GitHub Actions with no task given, the event that started the workflow is the issue.
  const issue = flags.issue ?? (!resumed && taskArg === undefined && env.GITHUB_ACTIONS === 'true' ? env.GITHUB_EVENT_PATH : undefined);
  const wantsTask = !resumed || taskArg !== undefined || issue !== undefined;
  const task = wantsTask ? await resolveTask({ task: taskArg, issue, readStdin }) : undefined;
  const key = lookupApiKey(config.provider, env);
  const found = findProfile(config.model, config.provider, config.models);
  const profile = found.generic ? { ...found, currency: PROVIDERS[config.provider].currency } : found;
  return { cwd, config, task, fromIssue: issue !== undefined || Boolean(resumed?.header.from_issue), key, profile, resumed, sessionId: resumed?.header.session_id ?? randomUUID() };
}

async function checkDirectory(dir: string): Promise<string> {
  const path = resolve(dir);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new InputError(`the working directory ${path} does not exist; pass an existing directory with --cwd`);
  if (!info.isDirectory()) throw new InputError(`${path} is not a directory; pass a directory with --cwd`);
  return path;
}
