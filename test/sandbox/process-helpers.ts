// Helpers for sandbox tests that must prove no process was left behind.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

let counter = 0;

/**
 * A `sleep` command line that no other process on the machine has: the duration carries a unique
 * fraction, so `pgrep -f` finds exactly the processes this test started.
 */
export function uniqueSleep(seconds = 1000): { command: string; pattern: string } {
  counter += 1;
  const fraction = `${process.pid}${counter}${Math.floor(Math.random() * 1e6)}`;
  return { command: `sleep ${seconds}.${fraction}`, pattern: `sleep ${seconds}\\.${fraction}` };
}

/** Pids of live processes whose command line matches `pattern` (zombies have none, so they never match). */
export function pgrep(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Pids still matching after giving SIGKILL a moment to land; empty means nothing was left behind. */
export async function survivors(pattern: string): Promise<number[]> {
  for (let i = 0; i < 20; i++) {
    if (pgrep(pattern).length === 0) return [];
    await sleep(25);
  }
  return pgrep(pattern);
}
