// What a batch shows while it runs. On a terminal (stderr is a TTY, no NO_COLOR): a live block
// redrawn in place — a bar of done/failed/running out of all tasks with the cost so far and an ETA
// from the finished tasks, then each running task's turn, cost and time — with a permanent line per
// finished task above it. Otherwise (CI logs): a line per task event and a progress line every few
// seconds. With --json, stdout also gets one JSON object per task start/skip/end and a final
// `batch_result` line, and nothing else.
import type { BatchProgress, BatchSnapshot, ProgressIo } from '../batch/progress.js';
import { formatCost } from '../batch/report.js';
import { BATCH_ETA_MIN_DONE, BATCH_PLAIN_PROGRESS_MS, LIVE_REFRESH_MS } from '../config/display.js';
import { formatMs } from './format.js';
import { LiveLines } from './live-lines.js';

const BAR_WIDTH = 24;

/** `[████▓▓░░░░]`: done, failed and running shares of the tasks. */
export function progressBar(s: Pick<BatchSnapshot, 'done' | 'failed' | 'running' | 'pending'>, width = BAR_WIDTH): string {
  const total = Math.max(1, s.done + s.failed + s.running + s.pending);
  const cells = (n: number): number => Math.round((n / total) * width);
  const done = cells(s.done);
  const failed = Math.min(width - done, cells(s.failed));
  const running = Math.min(width - done - failed, cells(s.running));
  return `[${'█'.repeat(done)}${'✗'.repeat(failed)}${'▒'.repeat(running)}${'░'.repeat(width - done - failed - running)}]`;
}

export function createProgress(io: ProgressIo): BatchProgress {
  const emit = (event: Record<string, unknown>): void => {
    if (io.json) io.stdout.write(`${JSON.stringify(event)}\n`);
  };
  const started = Date.now();
  const durations: number[] = []; // of tasks finished in this invocation, for the ETA
  let concurrency = 1;
  const live = io.tty ? new LiveLines(io.stderr, () => (io.stderr as { columns?: number }).columns) : undefined;
  const eta = (s: BatchSnapshot): string => {
    if (durations.length < BATCH_ETA_MIN_DONE || s.pending + s.running === 0) return '';
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    const runningLeft = s.active.reduce((left, t) => left + Math.max(0, mean - (Date.now() - t.startedAt)), 0);
    return ` · ETA ${formatMs((runningLeft + s.pending * mean) / Math.max(1, Math.min(concurrency, s.pending + s.running)))}`;
  };
  const statusLine = (s: BatchSnapshot): string => {
    const total = s.done + s.failed + s.running + s.pending;
    const currency = s.currency || io.currency || '';
    return `sprout batch ${io.name} ${progressBar(s)} ${s.done + s.failed}/${total} · ${s.done} done · ${s.failed} failed · ${s.running} running · ${formatCost(s.cost, currency)} · ${formatMs(Date.now() - started)}${eta(s)}`;
  };
  const redraw = (): void => {
    if (!live) return;
    const s = io.snapshot();
    const currency = s.currency || io.currency || '';
    const tasks = s.active.map((t) => `  ▸ ${t.id} · turn ${t.turns} · ${formatCost(t.cost, currency)} · ${formatMs(Date.now() - t.startedAt)}`);
    live.show([statusLine(s), ...tasks]);
  };
  // A permanent line: above the live block on a terminal, plain otherwise.
  const line = (text: string): void => {
    io.stderr.write(`${text}\n`);
    redraw();
  };
  const ticker = setInterval(() => (live ? redraw() : io.stderr.write(`${statusLine(io.snapshot())}\n`)), live ? LIVE_REFRESH_MS * 4 : (io.plainEveryMs ?? BATCH_PLAIN_PROGRESS_MS));
  ticker.unref();
  return {
    batchStarted(info) {
      concurrency = Number(info.concurrency) || 1;
      emit({ type: 'batch_start', ...info });
      if (!io.tty) line(`sprout batch ${io.name}: ${String(info.tasks)} tasks, ${String(info.concurrency)} at a time, state in ${String(info.state_dir)}`);
      redraw();
    },
    taskStarted(id, info) {
      emit({ type: 'task_start', id, ...info });
      if (io.tty) redraw();
      else line(`${id}: ${info.resumed ? 'resumed' : 'started'} in ${info.workdir}`);
    },
    taskSkipped(id, reason, status) {
      emit({ type: 'task_skip', id, reason, status });
      if (reason === 'budget' || !io.tty) line(`${id}: skipped (${reason === 'budget' ? 'the batch budget would be passed' : `already ${status}`})`);
    },
    taskFinished(row) {
      durations.push(row.duration_ms);
      emit({ type: 'task_end', ...row });
      const output = row.branch ?? row.patch ?? '';
      const error = row.error ? ` · ${row.error.split('\n')[0]}` : '';
      line(`${row.id}: ${row.status} · ${row.turns} turn${row.turns === 1 ? '' : 's'} · ${formatCost(row.cost, row.currency || io.currency || '')} · ${(row.duration_ms / 1000).toFixed(1)} s${output ? ` · ${output}` : ''}${error}`);
    },
    batchFinished(summary) {
      clearInterval(ticker);
      live?.show([]);
      io.stderr.write(`${statusLine(io.snapshot())}\n`);
      emit({ type: 'batch_result', ...summary });
    },
    refresh: redraw,
  };
}
