// `sprout run`: resolve config, task, sandbox and model client, run the agent loop, render its
// events, and return the exit code. Errors before the loop still produce a `result` line with --json.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AgentEvent, RunResult } from '../agent/events.js';
import { runAgent } from '../agent/run-agent.js';
import { loadConfig } from '../config/load.js';
import { lookupApiKey, PROVIDERS } from '../config/providers.js';
import { createModelClient } from './model-client.js';
import type { ConfigLayer } from '../config/schema.js';
import { InputError } from '../errors.js';
import { findProfile } from '../model/profiles.js';
import { VERSION } from '../version.js';
import { builtinTools } from '../../tools/registry.js';
import { EXIT, exitCodeForError, exitCodeForStatus } from './exit-codes.js';
import { createRenderer } from './output.js';
import { createSandbox, describeSandbox } from './sandbox-choice.js';
import { resolveTask } from './task-input.js';

/** Parsed `sprout run` options. */
export interface RunFlags {
  issue?: string;
  cwd: string;
  json: boolean;
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
  const sessionId = randomUUID();
  let result: RunResult | undefined;
  try {
    const cwd = await checkDirectory(flags.cwd);
    const config = await loadConfig({ cwd, env: io.env, flags: flags.config });
    const task = await resolveTask({ task: taskArg, issue: flags.issue, readStdin: io.readStdin });
    const preset = PROVIDERS[config.provider];
    const key = lookupApiKey(config.provider, io.env);
    const profile = findProfile(config.model, config.provider);
    const sandbox = await createSandbox(config, cwd, io.env);
    try {
      if (profile.generic) render({ type: 'warning', message: `unknown model ${config.model}: no prices known, cost is reported as 0` });
      const model = createModelClient(config, key);
      const run = runAgent({
        task, model, profile: { ...profile, currency: profile.generic ? preset.currency : profile.currency },
        tools: builtinTools(), sandbox, signal: io.signal, sessionId, version: VERSION,
        sandboxNote: describeSandbox(config),
        limits: {
          maxTurns: config.maxTurns, maxOutputTokens: Math.min(config.maxOutputTokens, profile.maxOutputTokens),
          maxContinuations: config.maxContinuations, toolOutputBytes: config.toolOutputBytes,
          toolConcurrency: config.toolConcurrency, agentsMdBytes: config.agentsMdBytes,
          timeoutMs: config.timeoutSeconds === undefined ? undefined : config.timeoutSeconds * 1000,
          shellTimeoutMs: config.shellTimeoutSeconds * 1000, shellMaxTimeoutMs: config.shellMaxTimeoutSeconds * 1000,
          execOutputBytes: config.execOutputBytes,
        },
      });
      for await (const event of run) {
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
  if (json) render({
    type: 'result', status: 'error', finish_reason: null, num_turns: 0, duration_ms: 0,
    usage: { prompt_tokens: 0, cached_tokens: 0, completion_tokens: 0, reasoning_tokens: 0 },
    cost: { amount: 0, currency: 'CNY' }, session_id: sessionId, changed_files: [], final_message: '', error: message,
  });
  return exitCodeForError(error);
}
