// The lines of a session file (JSON Lines, append-only): a header, then every message added to the
// conversation, every request's usage, and the result of each invocation. Enough to list a session
// and to resume it after a crash; the API key is never part of any record.
import type { RunResult } from '../agent/events.js';
import type { ChatMessage } from '../model/types.js';

/** First line: what the session is. */
export interface SessionHeader {
  type: 'header';
  session_id: string;
  created: string;
  cwd: string;
  model: string;
  provider: string;
  /** The first task, for listings. */
  task: string;
  /** The task came from an issue: the run must change files, and is verified by default. */
  from_issue?: boolean;
  version: string;
  /** The project's `.sprout/config.json` as read at the start, and what of it applied; a resume reuses it. */
  project_config?: {
    path: string;
    settings: Record<string, unknown>;
    applied: Record<string, unknown>;
    ignored: Array<{ key: string; reason: string }>;
  };
}

export type SessionRecord =
  | SessionHeader
  | { type: 'message'; message: ChatMessage }
  /** The conversation replaced by a compaction. */
  | { type: 'history'; messages: ChatMessage[] }
  | {
      type: 'usage';
      prompt_tokens: number;
      cached_tokens: number;
      completion_tokens: number;
      reasoning_tokens: number;
      cost: number;
      /** Set for requests that are not turns (compaction summaries). */
      purpose?: 'compaction';
    }
  | { type: 'result'; result: RunResult }
  /** A tool call's outcome and duration, for the run report. */
  | { type: 'tool'; id: string; name: string; ok: boolean; duration_ms: number }
  /** What the run changed, per file, when it ended (git repositories only). */
  | { type: 'diffstat'; files: DiffStatFile[] };

/** Lines added and removed in one file; binary files have null counts. */
export interface DiffStatFile {
  path: string;
  added: number | null;
  removed: number | null;
}

/** A session read back from its file. */
export interface LoadedSession {
  header: SessionHeader;
  messages: ChatMessage[];
  /** Requests made so far, over every invocation. */
  turns: number;
  usage: { prompt_tokens: number; cached_tokens: number; completion_tokens: number; reasoning_tokens: number };
  cost: number;
  /** The last invocation's result; undefined when the process died before writing one. */
  lastResult: RunResult | undefined;
  path: string;
  /** Lines (1-based) in the middle of the file that were not valid records and were skipped. */
  damagedLines: number[];
}
