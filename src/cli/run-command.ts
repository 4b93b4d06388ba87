// `sprout run`: resolve config, task, session, sandbox and model client, run the agent loop, render
// its events and save them, and return the exit code. Errors before the loop still produce a
// `result` line with --json.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AgentEvent, RunResult } from '../agent/events.js';
import { runAgent } from '../agent/run-agent.js';
import { loadConfig } from '../config/load.js';
import { lookupApiKey, PROVIDERS } from '../config/providers.js';
import type { ConfigLayer } from '../config/schema.js';
import { InputError } from '../errors.js';
import { findProfile } from '../model/profiles.js';
import { thinkingParams } from '../model/thinking.js';
import { createSpillStore, spillDir } from '../session/spill.js';
import { type SessionWriter, sessionsDir } from '../session/store.js';
import { VERSION } from '../version.js';
import { builtinTools } from '../../tools/registry.js';
import { EXIT, exitCodeForError, exitCodeForStatus } from './exit-codes.js';
import { createModelClient } from './model-client.js';
import { createRenderer } from './output.js';
import { findSession, openSession, runLimits } from './run-setup.js';
import { createSandbox, describeSandbox, sandboxDetails } from './sandbox-choice.js';
import { resolveTask } from './task-input.js';

/** Parsed `sprout run` options. */
export interface RunFlags {
  issue?: string;
  cwd: string;
  json: boolean;
  /** A session id or `last`. */
  resume?: string;
  config: ConfigLayer;
}

export interface RunIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  readStdin: () => Promise<string>;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/** Run one task; resolves to the process exit code. */
export async function runCommand(taskArg: string | undefined, flags: RunFlags, io: RunIo): Promise<number> {
  const render = createRenderer({ json: flags.json, stdout: io.stdout, stderr: io.stderr, env: io.env });
  let sessionId: string = randomUUID(); // a new session's id; a resumed one keeps its own
  let result: RunResult | undefined;
  try {
    const resumed = flags.resume ? findSession(io.env, flags.resume, await checkDirectory(flags.cwd)) : undefined;
    const cwd = await checkDirectory(resumed?.header.cwd ?? flags.cwd);
    // A resumed session keeps its model and provider unless the command line names others.
    const layer = { ...flags.config, model: flags.config.model ?? resumed?.header.model, provider: flags.config.provider ?? (resumed?.header.provider as ConfigLayer['provider']) };
    const config = await loadConfig({ cwd, env: io.env, flags: layer });
    const wantsTask = !resumed || taskArg !== undefined || flags.issue !== undefined;
    const task = wantsTask ? await resolveTask({ task: taskArg, issue: flags.issue, readStdin: io.readStdin }) : undefined;
    const preset = PROVIDERS[config.provider];
    const key = lookupApiKey(config.provider, io.env);
    const profile = findProfile(config.model, config.provider);
    sessionId = resumed?.header.session_id ?? sessionId;
    const spill = createSpillStore(spillDir(sessionsDir(io.env), sessionId));
    const sandbox = await createSandbox(config, cwd, io.env, [spillDir(sessionsDir(io.env), sessionId)]);
    try {
      const session = openSession(io.env, resumed, { sessionId, cwd, model: config.model, provider: config.provider, task: task ?? '' });
      if (profile.generic) render({ type: 'warning', message: `unknown model ${config.model}: no prices known, cost is reported as 0` });
      const thinking = thinkingParams(profile, config.reasoningEffort);
      if (thinking.warning) render({ type: 'warning', message: thinking.warning });
      const run = runAgent({
        task, resume: session.resume, model: createModelClient(config, key, thinking.body), sandbox, sessionId, version: VERSION,
        profile: { ...profile, currency: profile.generic ? preset.currency : profile.currency },
        tools: builtinTools(), signal: io.signal, sandboxNote: describeSandbox(config), limits: runLimits(config, profile),
        sandboxDetails: sandboxDetails(config), spill,
      });
      for await (const event of run) {
        save(session.writer, event);
        render(event);
        if (event.type === 'result') result = event;
      }
    } finally {
      await sandbox.close();
    }
  } catch (error) {
    return failBeforeResult(error, sessionId, render, flags.json);
  }
  if (!result) return EXIT.error;
  if (!flags.json && result.final_message && !(io.stdout as { isTTY?: boolean }).isTTY) io.stdout.write(`${result.final_message}\n`);
  return exitCodeForStatus(result.status);
}

/** Keep what a resume needs: every message, every request's usage, each run's result. */
function save(writer: SessionWriter, event: AgentEvent): void {
  if (event.type === 'message') writer.append({ type: 'message', message: event.message });
  else if (event.type === 'history') writer.append({ type: 'history', messages: event.messages });
  else if (event.type === 'usage') {
    const { type: _type, ...usage } = event;
    writer.append({ type: 'usage', ...usage });
  } else if (event.type === 'result') writer.append({ type: 'result', result: event });
}

async function checkDirectory(dir: string): Promise<string> {
  const path = resolve(dir);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new InputError(`the working directory ${path} does not exist; pass an existing directory with --cwd`);
  if (!info.isDirectory()) throw new InputError(`${path} is not a directory; pass a directory with --cwd`);
  return path;
}

/** Report an error that ended the run outside the loop: one line, and with --json a result line too. */
function failBeforeResult(error: unknown, sessionId: string, render: (event: AgentEvent) => void, json: boolean): number {
  const message = error instanceof Error ? error.message : String(error);
  render({ type: 'error', message });
  if (json) {
    render({
      type: 'result', status: 'error', finish_reason: null, num_turns: 0, duration_ms: 0,
      usage: { prompt_tokens: 0, cached_tokens: 0, completion_tokens: 0, reasoning_tokens: 0 },
      cost: { amount: 0, currency: 'CNY' }, session_id: sessionId, sandbox: 'unknown', changed_files: [], final_message: '', error: message,
    });
  }
  return exitCodeForError(error);
}
