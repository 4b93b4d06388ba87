// Session files: one JSON Lines file per session under the XDG state directory. Records are written
// synchronously as they happen, so a crash or kill -9 loses at most the record being written.
import { appendFileSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SessionError } from '../errors.js';
import type { LoadedSession, SessionHeader, SessionRecord } from './records.js';

/** sprout's state directory: $XDG_STATE_HOME/sprout (default ~/.local/state/sprout). */
export function stateDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'sprout');
}

/** Where session files live: $XDG_STATE_HOME/sprout/sessions (default ~/.local/state/...). */
export function sessionsDir(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'sessions');
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
    // A torn last line (the process died mid-write) must stay a line of its own, or the next
    // record would be glued to it and lost with it.
    if (!endsWithNewline(path)) appendFileSync(path, '\n');
    return new SessionWriter(path);
  }

  append(record: SessionRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}

/** Every valid record of a session file in order (a torn last line and damaged lines are left out). */
export function readRecords(path: string): SessionRecord[] {
  return parseLines(readFileSync(path, 'utf8'), path).records;
}

/**
 * Read a session file. A torn last line (the process died mid-write) is ignored; a bad line in the
 * middle is skipped and reported in `damagedLines`, so that every valid record is still used.
 */
export function loadSession(path: string): LoadedSession {
  const { records, damagedLines } = parseLines(readFileSync(path, 'utf8'), path);
  const header = checkHeader(records[0], path);
  const session: LoadedSession = {
    header, messages: [], turns: 0, cost: 0, lastResult: undefined, path, damagedLines,
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
    } else if (record.type === 'result') {
      session.lastResult = record.result;
      // A request that failed (a 401) counts in its result but wrote no usage: agree with the result.
      session.turns = Math.max(session.turns, record.result.num_turns ?? 0);
    }
  }
  return session;
}

function parseLines(text: string, path: string): { records: SessionRecord[]; damagedLines: number[] } {
  if (text.trim() === '') {
    throw new SessionError(`session file ${path} is empty (the run that made it saved nothing); start a new run, or delete the file`);
  }
  const lines = text.split('\n');
  const torn = text.endsWith('\n') ? -1 : lines.length - 1; // a last line without its newline
  const records: SessionRecord[] = [];
  const damagedLines: number[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as SessionRecord;
      if (typeof record !== 'object' || record === null || typeof record.type !== 'string') throw new Error('not a record');
      records.push(record);
    } catch {
      if (i !== torn) damagedLines.push(i + 1);
    }
  }
  return { records, damagedLines };
}

function checkHeader(first: SessionRecord | undefined, path: string): SessionHeader {
  if (first?.type !== 'header') throw new SessionError(`${path} is not a sprout session file: its first line is not a session header`);
  if (typeof first.session_id !== 'string' || !/^[\w-]+$/.test(first.session_id) || typeof first.cwd !== 'string') {
    throw new SessionError(`${path} has a damaged header (no valid session_id or cwd); it cannot be listed or resumed`);
  }
  return first;
}

function endsWithNewline(path: string): boolean {
  const size = statSync(path).size;
  if (size === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
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
