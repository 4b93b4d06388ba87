// Turning loaded config into what runAgent takes: its limits, and the session to write (a new one,
// or a saved one to resume with its conversation and totals).
import type { ResumeState, RunLimits } from '../agent/options.js';
import { defaultLimits } from '../config/limits.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { ModelProfile } from '../model/profiles.js';
import type { LoadedSession } from '../session/records.js';
import { listSessions, loadSession, SessionWriter, sessionsDir } from '../session/store.js';
import { VERSION } from '../version.js';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

/** The run's limits from config, the output bound clamped to the model's maximum. */
export function runLimits(config: Config, profile: ModelProfile): RunLimits {
  return {
    maxTurns: config.maxTurns,
    maxOutputTokens: Math.min(config.maxOutputTokens, profile.maxOutputTokens),
    maxContinuations: config.maxContinuations,
    toolOutputBytes: config.toolOutputBytes,
    toolConcurrency: config.toolConcurrency,
    agentsMdBytes: config.agentsMdBytes,
    maxRepeatedCalls: config.maxRepeatedCalls,
    maxCost: config.maxCost,
    compactAtTokens: config.compactAtTokens,
    timeoutMs: config.timeoutSeconds === undefined ? undefined : config.timeoutSeconds * 1000,
    shellTimeoutMs: config.shellTimeoutSeconds * 1000,
    shellMaxTimeoutMs: config.shellMaxTimeoutSeconds * 1000,
    execOutputBytes: config.execOutputBytes,
    structuredOutputRetries: defaultLimits.structuredOutputRetries,
  };
}

/** The session a run writes to, and what it resumes from. */
export interface SessionChoice {
  sessionId: string;
  writer: SessionWriter;
  resume?: ResumeState;
  /** The first task of a resumed session, for display. */
  header?: LoadedSession['header'];
}

/** Find a saved session by id, or `last` for the newest one started in `cwd`. */
export function findSession(env: NodeJS.ProcessEnv, idOrLast: string, cwd: string): LoadedSession {
  const dir = sessionsDir(env);
  if (idOrLast === 'last') {
    const newest = listSessions(dir).find((s) => s.header.cwd === cwd);
    if (!newest) throw new UsageError(`no saved session for ${cwd}; run without --resume, or see sprout sessions`);
    return newest;
  }
  if (!/^[\w-]+$/.test(idOrLast) || !existsSync(join(dir, `${idOrLast}.jsonl`))) {
    throw new UsageError(`no saved session ${idOrLast} in ${dir}; see sprout sessions for the ids`);
  }
  return loadSession(join(dir, `${idOrLast}.jsonl`));
}

/** Open the session file for this run: resume a saved one, or create a new one. */
export function openSession(
  env: NodeJS.ProcessEnv,
  resumed: LoadedSession | undefined,
  fresh: { sessionId: string; cwd: string; model: string; provider: string; task: string; fromIssue: boolean },
): SessionChoice {
  if (resumed) {
    return {
      sessionId: resumed.header.session_id,
      writer: SessionWriter.reopen(resumed.path),
      header: resumed.header,
      resume: {
        messages: resumed.messages,
        turns: resumed.turns,
        cost: resumed.cost,
        usage: {
          promptTokens: resumed.usage.prompt_tokens,
          cachedTokens: resumed.usage.cached_tokens,
          completionTokens: resumed.usage.completion_tokens,
          reasoningTokens: resumed.usage.reasoning_tokens,
        },
      },
    };
  }
  const { sessionId } = fresh;
  const writer = SessionWriter.create(sessionsDir(env), {
    type: 'header', session_id: sessionId, created: new Date().toISOString(), cwd: fresh.cwd,
    model: fresh.model, provider: fresh.provider, task: fresh.task, version: VERSION, from_issue: fresh.fromIssue,
  });
  return { sessionId, writer };
}
