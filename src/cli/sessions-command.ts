// `sprout sessions` and `sprout sessions show ID`: what was run, how it ended, what it cost.
import { PROVIDER_NAMES, type ProviderName } from '../config/providers.js';
import { ConfigError } from '../errors.js';
import { findProfile } from '../model/profiles.js';
import { listSessions } from '../session/store.js';
import type { LoadedSession } from '../session/records.js';
import { sessionsDir } from '../session/store.js';
import { contentText } from '../model/types.js';
import { EXIT } from './exit-codes.js';
import { findSession } from './run-setup.js';

export interface SessionsIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  json: boolean;
}

/** List saved sessions, newest first. */
export function listSessionsCommand(io: SessionsIo): number {
  const sessions = listSessions(sessionsDir(io.env));
  if (io.json) {
    for (const s of sessions) io.stdout.write(`${JSON.stringify(summary(s))}\n`);
    return EXIT.success;
  }
  if (sessions.length === 0) {
    io.stdout.write(`no sessions in ${sessionsDir(io.env)}\n`);
    return EXIT.success;
  }
  for (const s of sessions) {
    const row = summary(s);
    io.stdout.write(
      `${row.session_id}  ${row.status.padEnd(11)} ${String(row.turns).padStart(3)} ${turnsWord(row.turns).padEnd(5)}  ${row.cost.toFixed(4)} ${row.currency}  ${row.cwd}  ${oneLine(row.task, 60)}\n`,
    );
  }
  return EXIT.success;
}

/** Show one session: its header, totals and conversation. */
export function showSessionCommand(id: string, io: SessionsIo): number {
  const session = findSession(io.env, id, process.cwd());
  if (io.json) {
    io.stdout.write(`${JSON.stringify({ ...summary(session), messages: session.messages })}\n`);
    return EXIT.success;
  }
  const row = summary(session);
  io.stdout.write(`session ${row.session_id} · ${row.status} · ${row.turns} ${turnsWord(row.turns)} · cost ${row.cost.toFixed(4)} ${row.currency}\n`);
  io.stdout.write(`model ${session.header.model} (${session.header.provider}) · ${row.cwd} · started ${session.header.created}\n\n`);
  for (const message of session.messages) {
    if (message.role === 'system') continue;
    if (message.role === 'assistant') {
      if (message.content) io.stdout.write(`assistant: ${message.content}\n`);
      for (const call of message.tool_calls ?? []) io.stdout.write(`  → ${call.function.name} ${oneLine(call.function.arguments, 100)}\n`);
    } else if (message.role === 'tool') {
      io.stdout.write(`  ← ${oneLine(message.content, 100)}\n`);
    } else {
      io.stdout.write(`${message.role}: ${contentText(message.content)}\n`);
    }
  }
  return EXIT.success;
}

function summary(s: LoadedSession) {
  if (!s.header.session_id) throw new ConfigError(`${s.path} has no session id`);
  return {
    session_id: s.header.session_id,
    status: s.lastResult?.status ?? 'unfinished',
    turns: s.turns,
    cost: s.cost,
    currency: s.lastResult?.cost.currency ?? sessionCurrency(s),
    cwd: s.header.cwd,
    model: s.header.model,
    created: s.header.created,
    task: s.header.task,
  };
}

/** The currency of a session without a result: its model's price list for its provider. */
function sessionCurrency(s: LoadedSession): string {
  const provider = (PROVIDER_NAMES as readonly string[]).includes(s.header.provider) ? (s.header.provider as ProviderName) : undefined;
  return findProfile(s.header.model, provider).currency;
}

function turnsWord(turns: number): string {
  return turns === 1 ? 'turn' : 'turns';
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
