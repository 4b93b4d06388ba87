// What a batch shows while it runs. On a terminal (stderr is a TTY): one status line redrawn in place
// (running, done, failed, pending, cost so far), with a permanent line per finished task above it.
// Otherwise (CI logs): one plain line per task event. With --json, stdout also gets one JSON object
// per task start/skip/end and a final `batch_result` line, and nothing else.
import type { BatchProgress, ProgressIo } from '../batch/progress.js';
import { formatCost } from '../batch/report.js';

export function createProgress(io: ProgressIo): BatchProgress {
  const emit = (event: Record<string, unknown>): void => {
    if (io.json) io.stdout.write(`${JSON.stringify(event)}\n`);
  };
  const started = Date.now();
  let shown = false;
  const statusLine = (): string => {
    const s = io.snapshot();
    const secs = Math.round((Date.now() - started) / 1000);
    return `sprout batch ${io.name}: ${s.running} running · ${s.done} done · ${s.failed} failed · ${s.pending} pending · ${formatCost(s.cost, s.currency)} · ${secs} s`;
  };
  const redraw = (): void => {
    if (!io.tty) return;
    io.stderr.write(`\r\x1b[2K${statusLine()}`);
    shown = true;
  };
  // A permanent line: above the live line on a terminal, plain otherwise.
  const line = (text: string): void => {
    io.stderr.write(io.tty && shown ? `\r\x1b[2K${text}\n` : `${text}\n`);
    redraw();
  };
  const ticker = io.tty ? setInterval(redraw, 1000) : undefined;
  ticker?.unref();
  return {
    batchStarted(info) {
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
      emit({ type: 'task_end', ...row });
      const output = row.branch ?? row.patch ?? '';
      const error = row.error ? ` · ${row.error.split('\n')[0]}` : '';
      line(`${row.id}: ${row.status} · ${row.turns} turn${row.turns === 1 ? '' : 's'} · ${formatCost(row.cost, row.currency)} · ${(row.duration_ms / 1000).toFixed(1)} s${output ? ` · ${output}` : ''}${error}`);
    },
    batchFinished(summary) {
      if (ticker) clearInterval(ticker);
      if (io.tty && shown) io.stderr.write(`\r\x1b[2K${statusLine()}\n`);
      emit({ type: 'batch_result', ...summary });
    },
    refresh: redraw,
  };
}
