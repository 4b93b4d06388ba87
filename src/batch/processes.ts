// Processes that outlive a killed batch. The lock file keeps two batches from sharing one batch
// directory; a task's recorded pid lets a re-run stop a child that kept running after its batch was
// killed (SIGKILL reaches only the batch), before resuming the task in the same worktree.
// A pid is acted on only when /proc shows it is still the process we started, as pids are reused.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line (Linux), or undefined when it cannot be read. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
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
    const cmd = Number.isInteger(holder) && holder > 0 && alive(holder) ? (commandLine(holder) ?? 'batch') : undefined;
    if (cmd?.includes('batch')) {
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
 * SIGKILL after `graceMs`. `marker` (the task's working directory) must appear in its command line.
 */
export async function stopLeftover(pid: number | undefined, marker: string, graceMs = 10_000): Promise<boolean> {
  if (pid === undefined || !alive(pid) || !commandLine(pid)?.includes(marker)) return false;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < graceMs && alive(pid); waited += 100) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (let waited = 0; waited < 2000 && alive(pid); waited += 50) await sleep(50);
  return true;
}
