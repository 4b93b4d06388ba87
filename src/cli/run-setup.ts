// Turning loaded config into what runAgent takes: its limits, and the session to write (a new one,
// or a saved one to resume with its conversation and totals).
import { repairToolPairing } from '../agent/history-repair.js';
import type { ResumeState, RunLimits } from '../agent/options.js';
import type { ProjectConfigReport } from '../config/project.js';
import { defaultLimits } from '../config/limits.js';
import type { Config } from '../config/schema.js';
import { SessionError, UsageError } from '../errors.js';
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
    maxImagePixels: profile.maxImagePixels,
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
  /** The task to start from when a resumed session had no conversation yet (killed before it began). */
  task?: string;
  /** What the user should know about the resumed session file (damaged lines). */
  warnings: string[];
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
  fresh: { sessionId: string; cwd: string; model: string; provider: string; task: string; fromIssue: boolean; projectConfig?: ProjectConfigReport },
): SessionChoice {
  if (resumed) return resumeSession(resumed, fresh.task);
  const { sessionId } = fresh;
  const writer = SessionWriter.create(sessionsDir(env), {
    type: 'header', session_id: sessionId, created: new Date().toISOString(), cwd: fresh.cwd,
    model: fresh.model, provider: fresh.provider, task: fresh.task, version: VERSION, from_issue: fresh.fromIssue,
    project_config: fresh.projectConfig,
  });
  return { sessionId, writer, warnings: [] };
}

/** Continue a saved session; one killed before its conversation began starts over from its task. */
function resumeSession(resumed: LoadedSession, newTask: string): SessionChoice {
  const writer = SessionWriter.reopen(resumed.path);
  const base = { sessionId: resumed.header.session_id, writer, header: resumed.header, warnings: damageWarnings(resumed) };
  if (resumed.messages.every((m) => m.role === 'system')) {
    // Only a header (and maybe a system prompt) was saved: no request was made, nothing ran.
    if (resumed.messages.length > 0) writer.append({ type: 'history', messages: [] });
    return { ...base, task: newTask.trim() ? newTask : resumed.header.task };
  }
  let messages = resumed.messages;
  if (resumed.damagedLines.length > 0) {
    const repaired = repairToolPairing(messages);
    if (repaired.orphans > 0) {
      throw new SessionError(
        `${resumed.path} is damaged: line ${resumed.damagedLines.join(', ')} held a tool call that ran (its result is still there); ` +
          'resuming would let the model run it again without knowing; start a new run (the files it changed are kept)',
      );
    }
    messages = repaired.messages;
    // The task itself may be what was lost: the model must still know what it is working on.
    if (!messages.some((m) => m.role === 'user')) messages.splice(messages.findIndex((m) => m.role !== 'system'), 0, { role: 'user', content: resumed.header.task });
    writer.append({ type: 'history', messages }); // later loads start from the repaired conversation
  }
  const usage = resumed.usage;
  return {
    ...base,
    resume: {
      messages, turns: resumed.turns, cost: resumed.cost,
      usage: { promptTokens: usage.prompt_tokens, cachedTokens: usage.cached_tokens, completionTokens: usage.completion_tokens, reasoningTokens: usage.reasoning_tokens },
    },
  };
}

function damageWarnings(session: LoadedSession): string[] {
  if (session.damagedLines.length === 0) return [];
  return [
    `${session.path} is damaged: skipped line ${session.damagedLines.join(', ')} (not a valid record); every other ` +
      'record is resumed, but what the skipped line held (a message, a usage or a result) is missing',
  ];
}
