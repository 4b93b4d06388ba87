// Run one process for the model and always clean up after it: its own process group, stdin closed,
// stdout and stderr captured together within a byte cap, and the whole group killed when the main
// process exits, times out or is aborted, so nothing it started outlives the call.
//
// Starting and watching are two steps, so a backend can start a process ahead of its call (see
// standby.ts) and begin the call's clock, capture and timeout only when the call comes.
//
// Limits of a process group: a command that calls setsid or moves itself into another group
// escapes the kill. The host backend accepts that; the bwrap backend's namespace does not.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { OutputCapture } from './output-capture.js';
import type { ExecResult } from './types.js';

/** Options of runProcess. Paths and environment are final: confinement and scrubbing happen before. */
export interface RunProcessOptions extends StartProcessOptions, WatchOptions {}

/** How a process is started. */
export interface StartProcessOptions {
  /** Absolute working directory. */
  cwd: string;
  /** The complete environment; nothing of the host's is added. */
  env: Record<string, string>;
  /** Pipes for the process to read on fd 3, 4, ... (`StartedProcess.inputs`). */
  inputs?: number;
}

/** How a started process is watched once its call begins. */
export interface WatchOptions {
  /** Kill the process group after this many milliseconds. */
  timeoutMs: number;
  /** Aborting kills the process group at once. */
  signal?: AbortSignal;
  /** Bytes of output kept in memory (head and tail). */
  maxOutputBytes: number;
}

/** A process that runs, or failed to start; watch it with watchProcess, or stop it with discard. */
export interface StartedProcess {
  /** The process group's id; undefined when the program could not be started. */
  readonly pid: number | undefined;
  /** The process's fd 3, 4, ..., as many as `inputs` asked for. */
  readonly inputs: readonly Writable[];
  /** True once the process has exited (or failed to start). */
  exited(): boolean;
  /** Kill its group and wait for it to exit (for a process whose call never came). */
  discard(): Promise<void>;
  /** @internal What watchProcess needs. */
  readonly state: ProcessState;
}

interface ProcessState {
  file: string;
  child: ChildProcess | undefined;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>;
  streamsDone: Promise<void>;
  /** Output written before the call began (a failed start, a wrapper's error): its capture gets it first. */
  early: Buffer[];
  sink: ((chunk: Buffer) => void) | undefined;
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
  if (options.signal?.aborted) return notStarted(performance.now());
  return watchProcess(startProcess(file, args, options), options);
}

/** Start `file` in its own process group, stdin closed, output piped; nothing is timed yet. */
export function startProcess(file: string, args: readonly string[], options: StartProcessOptions): StartedProcess {
  let child: ChildProcess | undefined;
  let failure: Error | undefined;
  try {
    child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      // Closed stdin makes a command that waits for input (a prompt, `cat` with no file) fail at once.
      stdio: ['ignore', 'pipe', 'pipe', ...Array.from({ length: options.inputs ?? 0 }, () => 'pipe' as const)],
      // Its own process group, so one kill reaches everything it started.
      detached: true,
    });
  } catch (error) {
    // Arguments that can never start (a NUL byte in one): reported like a missing program.
    failure = error as Error;
  }
  const state: ProcessState = { file, child, early: [], sink: undefined, exit: exitOf(child, failure), streamsDone: Promise.resolve() };
  const write = (chunk: Buffer) => (state.sink ? state.sink(chunk) : state.early.push(chunk));
  state.streamsDone = Promise.all([drain(child?.stdout, write), drain(child?.stderr, write)]).then(() => undefined);
  const pid = child?.pid;
  if (pid !== undefined) trackGroup(pid);
  let done = false;
  void state.exit.then(() => (done = true));
  const inputs = (child?.stdio.slice(3) ?? []).filter((stream): stream is Writable => stream !== null && stream !== undefined && 'write' in stream);
  // A reader gone before its input is written is the process's failure, reported by its exit status.
  for (const input of inputs) input.on('error', () => undefined);
  return {
    pid,
    inputs,
    state,
    exited: () => done,
    async discard() {
      if (pid !== undefined) killGroup(pid);
      await state.exit;
      await settle(pid, state);
    },
  };
}

/** Watch a started process from now on: time it out, abort it, capture its output, and clean up. */
export async function watchProcess(started: StartedProcess, options: WatchOptions): Promise<ExecResult> {
  const begun = performance.now();
  const { state, pid } = started;
  const capture = new OutputCapture(options.maxOutputBytes);
  for (const chunk of state.early.splice(0)) capture.write(chunk);
  state.sink = (chunk) => capture.write(chunk);
  const finish = (status: Pick<ExecResult, 'exitCode' | 'signal' | 'timedOut' | 'aborted'>): ExecResult => ({
    ...status,
    ...capture.result(),
    durationMs: Math.round(performance.now() - begun),
  });
  if (pid === undefined) {
    const { error } = await state.exit;
    capture.write(Buffer.from(`failed to start ${state.file}: ${error?.message ?? 'unknown error'}\n`));
    return finish({ exitCode: 127, signal: null, timedOut: false, aborted: false });
  }
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
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  // The main process's exit, not the end of its pipes: a background child (`sleep 100 &`) holds the
  // pipes open for as long as it lives.
  const exit = await state.exit;
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  await settle(pid, state);
  return finish({ exitCode: exit.code, signal: exit.signal, timedOut, aborted });
}

/** Once the main process has exited: kill what is left of its group, forget it, and close its pipes. */
async function settle(pid: number | undefined, state: ProcessState): Promise<void> {
  if (pid !== undefined) {
    killGroup(pid);
    liveGroups.delete(pid);
  }
  await withinMs(state.streamsDone, STREAM_GRACE_MS);
  destroyStreams(state.child);
}

/** The result of a call aborted before its process started. */
export function notStarted(begun: number): ExecResult {
  return { exitCode: null, signal: null, timedOut: false, aborted: true, ...new OutputCapture(0).result(), durationMs: Math.round(performance.now() - begun) };
}

/** Resolves once with how the process ended; a spawn error (no such program) counts as the end. */
function exitOf(child: ChildProcess | undefined, failure: Error | undefined): ProcessState['exit'] {
  if (!child) return Promise.resolve({ code: null, signal: null, error: failure });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // 'error' without 'exit' means it never ran; after a start it is a failed kill, which changes nothing.
    child.on('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
  });
}

function destroyStreams(child: ChildProcess | undefined): void {
  for (const stream of child?.stdio ?? []) stream?.destroy();
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

/** Feed a stream into `write`; resolves when it ends, closes or fails. */
function drain(stream: Readable | null | undefined, write: (chunk: Buffer) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer | string) => write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
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
