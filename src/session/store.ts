// Session files: one JSON Lines file per session under the XDG state directory. Records are written
// synchronously as they happen, so a crash or kill -9 loses at most the record being written.
import { appendFileSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LoadedSession, SessionHeader, SessionRecord } from './records.js';

/** Where session files live: $XDG_STATE_HOME/sprout/sessions (default ~/.local/state/...). */
export function sessionsDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'sprout', 'sessions');
}

/** Appends records to one session file. */
export class SessionWriter {
  private constructor(readonly path: string) {}

  /** Start a new session file with its header. */
  static create(dir: string, header: SessionHeader): SessionWriter {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${header.session_id}.jsonl`);
    closeSync(openSync(path, 'wx', 0o600));
    const writer = new SessionWriter(path);
    writer.append(header);
    return writer;
  }

  /** Continue an existing session file. */
  static reopen(path: string): SessionWriter {
    return new SessionWriter(path);
  }

  append(record: SessionRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}

/** Every record of a session file in order; a torn last line (the process died mid-write) is ignored. */
export function readRecords(path: string): SessionRecord[] {
  const records: SessionRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as SessionRecord);
    } catch {
      break; // only the last line can be torn; anything after it is not trusted either
    }
  }
  return records;
}

/** Read a session file. */
export function loadSession(path: string): LoadedSession {
  const records = readRecords(path);
  const header = records[0];
  if (header?.type !== 'header') throw new Error(`${path} is not a sprout session file`);
  const session: LoadedSession = {
    header, messages: [], turns: 0, cost: 0, lastResult: undefined, path,
    usage: { prompt_tokens: 0, cached_tokens: 0, completion_tokens: 0, reasoning_tokens: 0 },
  };
  for (const record of records.slice(1)) {
    if (record.type === 'message') session.messages.push(record.message);
    else if (record.type === 'history') session.messages = [...record.messages];
    else if (record.type === 'usage') {
      if (record.purpose === undefined) session.turns++;
      session.cost += record.cost;
      session.usage.prompt_tokens += record.prompt_tokens;
      session.usage.cached_tokens += record.cached_tokens;
      session.usage.completion_tokens += record.completion_tokens;
      session.usage.reasoning_tokens += record.reasoning_tokens;
    } else if (record.type === 'result') session.lastResult = record.result;
  }
  return session;
}

/** Every readable session, newest first. */
export function listSessions(dir: string): LoadedSession[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const sessions: Array<{ session: LoadedSession; mtime: number }> = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      sessions.push({ session: loadSession(path), mtime: statSync(path).mtimeMs });
    } catch {
      // A file that is not a session (or unreadable) is skipped, not fatal for a listing.
    }
  }
  return sessions.sort((a, b) => b.mtime - a.mtime).map((s) => s.session);
}
