// Bookkeeping of the commands a backend has running, shared by every backend: close() must stop
// each of them and wait until its process tree is gone, and no command may start after close().
import type { ExecResult } from './types.js';

/** Runs commands on behalf of one sandbox and stops them all on close(). */
export interface ExecTracker {
  /**
   * Start a command with `start`, passing it a signal that fires when the caller's `signal` does or
   * the sandbox closes. Throws when the sandbox is already closed.
   */
  run(signal: AbortSignal | undefined, start: (signal: AbortSignal) => Promise<ExecResult>): Promise<ExecResult>;
  /** Abort every running command and wait for each to finish its cleanup. */
  close(): Promise<void>;
}

export function createExecTracker(): ExecTracker {
  const running = new Set<{ controller: AbortController; done: Promise<ExecResult> }>();
  let closed = false;
  return {
    async run(callerSignal, start) {
      if (closed) throw new Error('the sandbox is closed; create a new one to run more commands');
      const controller = new AbortController();
      const signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
      const entry = { controller, done: start(signal) };
      running.add(entry);
      try {
        return await entry.done;
      } finally {
        running.delete(entry);
      }
    },

    async close() {
      closed = true;
      const pending = [...running];
      for (const entry of pending) entry.controller.abort();
      await Promise.allSettled(pending.map((entry) => entry.done));
    },
  };
}
