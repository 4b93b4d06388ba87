// Everything `sprout run` settles before the loop starts: the session to resume, the working
// directory, config, the task, the key and the model profile. Throws the typed errors of the CLI.
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfigWithProject } from '../config/load.js';
import type { ProjectConfigReport } from '../config/project.js';
import { type ApiKey, lookupApiKey, PROVIDERS } from '../config/providers.js';
import type { Config, ConfigLayer } from '../config/schema.js';
import { compileSchema } from '../agent/structured-output.js';
import { InputError } from '../errors.js';
import { findProfile, type ModelProfile } from '../model/profiles.js';
import type { LoadedSession } from '../session/records.js';
import { findSession } from './run-setup.js';
import { resolveTask } from './task-input.js';

/** Parsed `sprout run` options. */
export interface RunFlags {
  issue?: string;
  cwd: string;
  /** Machine-readable output on stdout (`--output-format json|stream-json`). */
  json: boolean;
  /** Which one; undefined means `json` when `json` is set. */
  outputFormat?: 'text' | 'json' | 'stream-json';
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
  /** Image files attached to the task (--image). */
  images?: string[];
  /** An extra MCP config file (--mcp-config), trusted like the user's own config. */
  mcpConfig?: string;
  /** A JSON Schema file the final answer must satisfy. */
  outputSchema?: string;
  config: ConfigLayer;
}

export interface PreparedRun {
  cwd: string;
  config: Config;
  /** What the project's `.sprout/config.json` (as read when the session started) applied and why the rest was ignored. */
  project: ProjectConfigReport;
  /** Undefined when resuming without new instructions. */
  task: string | undefined;
  /** True when the task came from an issue: such a run must change something to succeed. */
  fromIssue: boolean;
  key: ApiKey;
  profile: ModelProfile;
  resumed: LoadedSession | undefined;
  sessionId: string;
  /** The --output-schema, read and checked. */
  outputSchema?: Record<string, unknown>;
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
  // A resume re-applies the project settings recorded at the session's start, not today's file.
  const { config, project } = await loadConfigWithProject({ cwd, env, flags: layer, projectSettings: resumed?.header.project_config?.settings });
  // In GitHub Actions with no task given, the event that started the workflow is the issue.
  const issue = flags.issue ?? (!resumed && taskArg === undefined && env.GITHUB_ACTIONS === 'true' ? env.GITHUB_EVENT_PATH : undefined);
  const wantsTask = !resumed || taskArg !== undefined || issue !== undefined;
  const task = wantsTask ? await resolveTask({ task: taskArg, issue, readStdin }) : undefined;
  const outputSchema = flags.outputSchema === undefined ? undefined : await readSchema(flags.outputSchema);
  const key = lookupApiKey(config.provider, env);
  const found = findProfile(config.model, config.provider, config.models);
  const profile = found.generic ? { ...found, currency: PROVIDERS[config.provider].currency } : found;
  return { cwd, config, project, task, fromIssue: issue !== undefined || Boolean(resumed?.header.from_issue), key, profile, resumed, sessionId: resumed?.header.session_id ?? randomUUID(), outputSchema };
}

async function checkDirectory(dir: string): Promise<string> {
  const path = resolve(dir);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new InputError(`the working directory ${path} does not exist; pass an existing directory with --cwd`);
  if (!info.isDirectory()) throw new InputError(`${path} is not a directory; pass a directory with --cwd`);
  return path;
}

/** Read and compile --output-schema FILE, so that a bad schema stops the run before any request. */
async function readSchema(file: string): Promise<Record<string, unknown>> {
  const path = resolve(file);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new InputError(`cannot read the output schema ${path}; pass an existing JSON Schema file with --output-schema`);
  });
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new InputError(`the output schema ${path} is not JSON (${(error as Error).message}); pass a JSON Schema file`);
  }
  compileSchema(schema, `the output schema ${path}`);
  return schema as Record<string, unknown>;
}
