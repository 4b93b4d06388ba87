// Processes that outlive a killed batch. The lock file keeps two batches from sharing one batch
// directory; a task's recorded pid lets a re-run stop a child that kept running after its batch was
// killed (SIGKILL reaches only the batch), before resuming the task in the same worktree.
// A pid is acted on only when /proc shows it is still the process we started, as pids are reused.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../errors.js';

/** Whether `pid` runs; a zombie (exited, not yet reaped by whoever adopted it) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** The process's arguments (Linux), or undefined when they cannot be read. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

/** Take the batch directory's lock; returns the release function. */
export function acquireLock(path: string): () => void {
  const mine = String(process.pid);
  try {
    writeFileSync(path, mine, { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(path, 'utf8').trim());
    // Without /proc, a live pid is taken to be the batch: refusing wrongly is safer than sharing.
    const args = Number.isInteger(holder) && holder > 0 && alive(holder) ? (commandLine(holder) ?? ['batch']) : [];
    if (args.includes('batch')) {
      throw new UsageError(`the batch directory is in use by process ${holder}; wait for it, or if that is not a sprout batch, delete ${path}`);
    }
    writeFileSync(path, mine); // a stale lock of a batch that was killed
  }
  return () => {
    try {
      if (readFileSync(path, 'utf8').trim() === mine) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  };
}

/**
 * Stop a child of an earlier batch if it still runs: SIGTERM (it saves its session and exits), then
 * SIGKILL after `graceMs`. `marker` (the task's working directory) must be one of its arguments.
 */
export async function stopLeftover(pid: number | undefined, marker: string, graceMs = 10_000): Promise<boolean> {
  if (pid === undefined || !alive(pid) || !commandLine(pid)?.includes(marker)) return false; // not ours (any more)
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < graceMs && alive(pid); waited += 100) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 2000 && alive(pid); waited += 50) await sleep(50);
  return true;
}

/** SIGINT/SIGTERM as the batch sees them: every signal is passed on, none kills the batch outright. */
export interface Interrupts {
  /** The first signal received, if any. */
  readonly received: NodeJS.Signals | undefined;
  /** Call `listener` on every signal from now on; returns the unsubscribe function. */
  listen(listener: (signal: NodeJS.Signals) => void): () => void;
}

/**
 * Watch the process's SIGINT/SIGTERM. Unlike `run`, a second signal does not exit at once: the batch
 * passes each one on to its children (whose second signal does), then writes its state and report.
 */
export function watchSignals(): Interrupts & { dispose(): void } {
  const listeners = new Set<(signal: NodeJS.Signals) => void>();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    received ??= signal;
    for (const listener of listeners) listener(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get received() {
      return received;
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
