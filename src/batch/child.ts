// One task = one child process of the real CLI, `sprout run --json ...`: a crash in one task cannot
// take the batch down, and every `run` feature (sandbox, limits, verify, resume, CI outputs) comes
// for free. The child's JSON Lines are read as they arrive (session id, cost so far, result) and
// kept in logs/<id>.jsonl; its stderr goes to logs/<id>.log.
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { packageFile } from '../../sandbox/package-root.js';
import type { RunResult } from '../agent/events.js';
import { LineSplitter, TextTail } from './stream-text.js';

/** The built CLI: dist/src/cli/main.js of this package. */
export const CLI_PATH = packageFile('dist', 'src', 'cli', 'main.js');

/** `run` options the batch passes to every child as it was given them. */
export interface PassThrough {
  model?: string;
  provider?: string;
  baseUrl?: string;
  maxTurns?: number;
  timeout?: number;
  sandbox?: string;
  network?: boolean;
  reasoningEffort?: string;
  /** A check command, false for --no-verify, undefined for run's default. */
  verify?: string | false;
  verifyRetries?: number;
  /** --max-cost for tasks whose manifest entry sets none. */
  taskMaxCost?: number;
  /** false for --no-prove (sprout eval: the grading is the proof). */
  prove?: boolean;
}

/** What one child is asked to do. */
export interface ChildTask {
  workdir: string;
  /** Commit on the worktree's branch (git tasks); copies only write the patch. */
  commit: boolean;
  patch: string;
  /** Resume this session instead of starting the task. */
  resume?: string;
  prompt?: string;
  issue?: string;
  model?: string;
  maxCost?: number;
}

/** The `sprout run` arguments and stdin for a task. */
export function childArgs(task: ChildTask, pass: PassThrough): { args: string[]; stdin: string } {
  const args = ['run', '--json', '-C', task.workdir, '--patch-out', task.patch];
  if (task.commit) args.push('--commit');
  const model = task.model ?? pass.model;
  const maxCost = task.maxCost ?? pass.taskMaxCost;
  const optional: Array<[string, string | number | undefined]> = [
    ['--model', model], ['--provider', pass.provider], ['--base-url', pass.baseUrl], ['--max-turns', pass.maxTurns],
    ['--timeout', pass.timeout], ['--sandbox', pass.sandbox], ['--reasoning-effort', pass.reasoningEffort],
    ['--verify-retries', pass.verifyRetries], ['--max-cost', maxCost],
    ['--verify', typeof pass.verify === 'string' ? pass.verify : undefined],
  ];
  for (const [flag, value] of optional) if (value !== undefined) args.push(flag, String(value));
  if (pass.verify === false) args.push('--no-verify');
  if (pass.prove === false) args.push('--no-prove');
  if (pass.network) args.push('--network');
  if (task.resume) return { args: [...args, '--resume', task.resume], stdin: '' };
  if (task.issue) args.push('--issue', task.issue);
  // The prompt goes through stdin ('-'): no argv length limit, and a prompt starting with '-' is safe.
  if (task.prompt) args.push('-');
  return { args, stdin: task.prompt ?? '' };
}

/** How a child ended. */
export interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The `result` line, when the child wrote one. */
  result?: RunResult;
  /** The last lines of its stderr, for a crash without a result. */
  stderrTail: string;
}

export interface RunningChild {
  pid: number;
  kill(signal: NodeJS.Signals): void;
  done: Promise<ChildOutcome>;
}

export interface ChildIo {
  env: NodeJS.ProcessEnv;
  /** logs/<id>: `.jsonl` and `.log` are appended to it. */
  logBase: string;
  /** Each parsed JSON line (session, usage, result...). */
  onEvent(event: { type: string; [key: string]: unknown }): void;
}

/** Start `node main.js run ...`; the child gets its own process group so a terminal's Ctrl-C reaches
 * only the batch, which forwards exactly one SIGINT (a second one would make the child exit at once). */
export function startChild(args: string[], stdin: string, io: ChildIo): RunningChild {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env: io.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const events = createWriteStream(`${io.logBase}.jsonl`, { flags: 'a' });
  const errors = createWriteStream(`${io.logBase}.log`, { flags: 'a' });
  let result: RunResult | undefined;
  const lines = new LineSplitter();
  const stderrTail = new TextTail(2000);
  child.stdout.on('data', (chunk: Buffer) => {
    events.write(chunk);
    for (const line of lines.push(chunk)) {
      const event = parseLine(line);
      if (!event) continue;
      if (event.type === 'result') result = event as unknown as RunResult;
      io.onEvent(event);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errors.write(chunk);
    stderrTail.push(chunk);
  });
  child.stdin.on('error', () => undefined); // a child that exits before reading stdin is not our error
  child.stdin.end(stdin);
  const done = new Promise<ChildOutcome>((resolve) => {
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      void Promise.all([closeStream(events), closeStream(errors)]).then(() => resolve({ code, signal, result, stderrTail: stderrTail.text }));
    };
    child.on('error', (error) => {
      stderrTail.push(`\ncannot start ${process.execPath}: ${error.message}`);
      finish(null, null);
    });
    child.on('close', finish);
  });
  return {
    pid: child.pid ?? -1,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    done,
  };
}

function parseLine(line: string): { type: string; [key: string]: unknown } | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as { type?: unknown };
    return typeof value?.type === 'string' ? (value as { type: string }) : undefined;
  } catch {
    return undefined;
  }
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => stream.end(resolve));
}
