// The contract between the batch runner and whatever shows its progress (src/render/batch-progress.ts
// in the CLI): the events a batch reports and the live counts a view may pull.
import type { ReportRow } from './report.js';

/** Live counts, pulled by the status line. */
export interface BatchSnapshot {
  running: number;
  done: number;
  failed: number;
  pending: number;
  cost: number;
  currency: string;
  /** Each running task's turns and cost so far (this attempt), and when it started. */
  active: Array<{ id: string; turns: number; cost: number; startedAt: number }>;
}

/** Events of a batch, as the runner reports them. */
export interface BatchProgress {
  batchStarted(info: Record<string, unknown>): void;
  taskStarted(id: string, info: { attempt: number; resumed: boolean; workdir: string }): void;
  taskSkipped(id: string, reason: 'done' | 'budget', status: string): void;
  taskFinished(row: ReportRow): void;
  batchFinished(summary: Record<string, unknown>): void;
  /** Redraw the live line (a usage event changed the cost); a no-op off a terminal. */
  refresh(): void;
}

export interface ProgressIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  json: boolean;
  /** Live status line on stderr. */
  tty: boolean;
  name: string;
  /** The provider's currency, known before any task reports a cost. */
  currency?: string;
  /** Without a terminal, a progress line this often (ms). */
  plainEveryMs?: number;
  snapshot(): BatchSnapshot;
}
