// Run one process for the model and always clean up after it: its own process group, stdin closed,
// stdout and stderr captured together within a byte cap, and the whole group killed when the main
// process exits, times out or is aborted, so nothing it started outlives the call.
//
// Limits of a process group: a command that calls setsid or moves itself into another group
// escapes the kill. The host backend accepts that; the bwrap backend's namespace does not.
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { OutputCapture } from './output-capture.js';
import type { ExecResult } from './types.js';

/** Options of runProcess. Paths and environment are final: confinement and scrubbing happen before. */
export interface RunProcessOptions {
  /** Absolute working directory. */
  cwd: string;
  /** The complete environment; nothing of the host's is added. */
  env: Record<string, string>;
  /** Kill the process group after this many milliseconds. */
  timeoutMs: number;
  /** Aborting kills the process group at once. */
  signal?: AbortSignal;
  /** Bytes of output kept in memory (head and tail). */
  maxOutputBytes: number;
}

/** How long to wait for the pipes to reach end-of-file once the group is dead; only an escaped process holds them longer. */
const STREAM_GRACE_MS = 1000;

/** setTimeout fires at once for delays above this, so longer timeouts are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Groups still running, killed if sprout itself exits before their call returns. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Run `file` with `args` (no shell) and return its combined output and status. Never throws for a
 * failed process: a program that cannot be started comes back as exit code 127 with the reason.
 */
export async function runProcess(file: string, args: readonly string[], options: RunProcessOptions): Promise<ExecResult> {
  const started = performance.now();
  const capture = new OutputCapture(options.maxOutputBytes);
  const finish = (status: Pick<ExecResult, 'exitCode' | 'signal' | 'timedOut' | 'aborted'>): ExecResult => ({
    ...status,
    ...capture.result(),
    durationMs: Math.round(performance.now() - started),
  });
  if (options.signal?.aborted) return finish({ exitCode: null, signal: null, timedOut: false, aborted: true });

  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    // Closed stdin makes a command that waits for input (a prompt, `cat` with no file) fail at once.
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    encoding: 'buffer',
    // Its own process group, so one kill reaches everything it started.
    detached: true,
    reject: false,
    // Killing and timing are done here, on the group; execa's would reach only the main process.
    cleanup: false,
    forceKillAfterDelay: false,
  });
  // With reject: false the promise resolves, but a failure must never surface as an unhandled rejection.
  child.then(undefined, () => undefined);

  const pid = child.pid;
  if (pid === undefined) {
    const failed = await child;
    capture.write(Buffer.from(`failed to start ${file}: ${failed.originalMessage ?? failed.message ?? 'unknown error'}\n`));
    return finish({ exitCode: 127, signal: null, timedOut: false, aborted: false });
  }
  trackGroup(pid);

  const streamsDone = Promise.all([drain(child.stdout, capture), drain(child.stderr, capture)]);
  let timedOut = false;
  let aborted = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      killGroup(pid);
    },
    Math.min(Math.max(0, options.timeoutMs), MAX_TIMER_MS),
  );
  const onAbort = (): void => {
    aborted = true;
    killGroup(pid);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  // The main process's exit, not the end of its pipes: a background child (`sleep 100 &`) holds the
  // pipes open for as long as it lives.
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  killGroup(pid);
  liveGroups.delete(pid);

  await withinMs(streamsDone, STREAM_GRACE_MS);
  child.stdout?.destroy();
  child.stderr?.destroy();
  return finish({ exitCode: exit.code, signal: exit.signal, timedOut, aborted });
}

/** SIGKILL every process in the group led by `pid`. */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone. EPERM: the id now belongs to someone else's group. Neither
    // is a failure of the command, and this runs in timers where a throw would crash the runtime.
  }
}

function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Detached groups survive their parent; without this, sprout dying mid-command would leave them running.
  process.once('exit', () => {
    for (const group of liveGroups) killGroup(group);
  });
}

/** Feed a stream into the capture; resolves when it ends, closes or fails. */
function drain(stream: Readable | null | undefined, capture: OutputCapture): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    stream.on('data', (chunk: Uint8Array | string) => capture.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    // An error after destroy() or a broken pipe only ends the capture; the exit status still counts.
    stream.on('error', () => resolve());
  });
}

/** Wait for `promise`, but no longer than `ms`. */
async function withinMs(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise.then(() => undefined), bound]);
  clearTimeout(timer);
}
