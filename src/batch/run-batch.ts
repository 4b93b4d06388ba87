// A whole batch: lock and open the batch directory, run the tasks `concurrency` at a time (each in
// its own child process and worktree), stop starting tasks on SIGINT or when the budget would be
// passed, then write report.jsonl and report.md. Re-running the same command resumes the batch.
//
// How a batch works, in one place:
// - Tasks come from a manifest (manifest.ts) or --dirs (dirs.ts); --shard I/N keeps those whose
//   sha1(id) mod N is I-1 (shard.ts), so shards of one manifest never overlap.
// - The batch directory (default .sprout-batch/NAME, or NAME.shard-I-of-N) holds:
//     state.json       one record per task, rewritten atomically after every change (state.ts)
//     lock             the pid of the batch using the directory
//     worktrees/ID/    the task's git worktree on branch sprout/NAME/ID, or a copy of a non-git
//                      directory; removed once the task succeeds (--keep-worktrees keeps it)
//     patches/ID.patch the child's --patch-out, for every task
//     logs/ID.jsonl    the child's --json events (all attempts); logs/ID.log its stderr
//     report.jsonl, report.md, and a .gitignore of "*" so the directory never shows in git status
// - Each task is `sprout run --json` in a child process (child.ts) with --commit (git) and
//   --patch-out; its session id, cost and result are read from its JSON Lines (task-runner.ts).
// - Re-running: success, error and limit are final and skipped (--retry-failed starts error and
//   limit tasks over in fresh worktrees); running (the batch was killed) and interrupted tasks resume their session with
//   --resume in their worktree when the session is known, else start over in a fresh worktree.
//   A child stops by itself when its batch is killed (src/cli/parent-watch.ts); one that still
//   runs is stopped first (processes.ts).
// - Budget (budget.ts): a task starts only while spent + committed + its expected cost stays within
//   --max-cost; a task's own budget is its max_cost or --task-max-cost (the child's --max-cost).
// - Exit: 0 all succeeded; 1 any task failed (error, limit, interrupted); 3 tasks left undone by
//   the budget; 130 (143 for SIGTERM) when the batch was interrupted.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import pLimit from 'p-limit';
import { BatchBudget } from './budget.js';
import type { PassThrough } from './child.js';
import type { BatchTask } from './manifest.js';
import { acquireLock, type Interrupts } from './processes.js';
import type { BatchProgress, BatchSnapshot, ProgressIo } from './progress.js';
import { type ReportRow, reportJsonl, reportMarkdown, reportRow, summarizeRows } from './report.js';
import { type Shard, shardLabel } from './shard.js';
import { batchPaths, BatchState, FINAL_STATUSES } from './state.js';
import { TaskRunner } from './task-runner.js';

export interface BatchOptions {
  /** Names branches `sprout/<name>/<id>`. */
  name: string;
  /** The batch directory (absolute). */
  dir: string;
  /** The tasks of this invocation (already narrowed to the shard). */
  tasks: BatchTask[];
  concurrency: number;
  /** The budget for the whole batch. */
  maxCost?: number;
  pass: PassThrough;
  retryFailed: boolean;
  keepWorktrees: boolean;
  shard?: Shard;
}

export interface BatchIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  json: boolean;
  /** SIGINT/SIGTERM: stop starting tasks and pass each signal on to the running children. */
  interrupts: Interrupts;
  /** Makes the progress view (the CLI passes the renderer's). */
  createProgress: (io: ProgressIo) => BatchProgress;
}

export interface BatchOutcome {
  rows: ReportRow[];
  exitCode: number;
}

/** Run the batch; resolves to its report rows and exit code (130 when interrupted, 143 on SIGTERM). */
export async function runBatch(options: BatchOptions, io: BatchIo): Promise<BatchOutcome> {
  const paths = batchPaths(options.dir);
  mkdirSync(options.dir, { recursive: true });
  const release = acquireLock(paths.lock);
  try {
    const state = BatchState.open(options.dir, options.name, options.tasks);
    const budget = new BatchBudget(options.maxCost);
    for (const task of options.tasks) {
      const record = state.get(task.id);
      budget.known(task.id, record.result?.cost.amount ?? 0, FINAL_STATUSES.has(record.status));
    }
    let runner: TaskRunner | undefined;
    const progress = io.createProgress({
      stdout: io.stdout, stderr: io.stderr, json: io.json, name: options.name,
      tty: Boolean((io.stderr as { isTTY?: boolean }).isTTY),
      snapshot: () => snapshot(options.tasks, state, runner, budget),
    });
    runner = new TaskRunner({ state, budget, progress, pass: options.pass, env: io.env, retryFailed: options.retryFailed, keepWorktrees: options.keepWorktrees });
    return await execute(options, io, { state, runner, progress });
  } finally {
    release();
  }
}

async function execute(options: BatchOptions, io: BatchIo, parts: { state: BatchState; runner: TaskRunner; progress: BatchProgress }): Promise<BatchOutcome> {
  const { state, runner, progress } = parts;
  const started = Date.now();
  progress.batchStarted({
    name: options.name, state_dir: options.dir, tasks: options.tasks.length, concurrency: options.concurrency,
    ...(options.shard ? { shard: `${options.shard.index}/${options.shard.count}` } : {}),
    ...(options.maxCost !== undefined ? { max_cost: options.maxCost } : {}),
  });
  const unlisten = io.interrupts.listen((signal) => runner.stop(signal));
  if (io.interrupts.received) runner.stop(io.interrupts.received);
  try {
    const limit = pLimit(options.concurrency);
    await Promise.all(options.tasks.map((task) => limit(() => runner.run(task))));
  } finally {
    unlisten();
  }
  const rows = options.tasks.map((task) => reportRow(state.get(task.id), runner.skipped.has(task.id)));
  const title = `sprout batch ${options.name}${options.shard ? ` (${shardLabel(options.shard)})` : ''}`;
  const markdown = writeReport(options.dir, rows, title, io.env);
  const summary = summarizeRows(rows);
  const interrupted = io.interrupts.received;
  const exitCode = interrupted ? (interrupted === 'SIGTERM' ? 143 : 130) : summary.exitCode;
  const status = interrupted ? 'interrupted' : ['success', 'failed', 'incomplete'][Math.min(summary.exitCode, 2)];
  const paths = batchPaths(options.dir);
  progress.batchFinished({
    status, exit_code: exitCode, tasks: rows.length, counts: summary.counts, cost: { amount: summary.cost, currency: summary.currency },
    duration_ms: Date.now() - started, state_dir: options.dir, report_jsonl: paths.reportJsonl, report_md: paths.reportMd,
  });
  if (!io.json) io.stdout.write(markdown);
  return { rows, exitCode };
}

/** report.jsonl and report.md in the batch directory; the markdown also goes to a CI job's summary. */
function writeReport(dir: string, rows: ReportRow[], title: string, env: NodeJS.ProcessEnv): string {
  const paths = batchPaths(dir);
  const markdown = reportMarkdown(rows, title);
  writeFileSync(paths.reportJsonl, reportJsonl(rows));
  writeFileSync(paths.reportMd, markdown);
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    } catch {
      // The job summary is a courtesy; the report files are the record.
    }
  }
  return markdown;
}

function snapshot(tasks: BatchTask[], state: BatchState, runner: TaskRunner | undefined, budget: BatchBudget): BatchSnapshot {
  const counts = { running: 0, done: 0, failed: 0, pending: 0 };
  let currency = '';
  for (const task of tasks) {
    const record = state.get(task.id);
    if (runner?.running.has(task.id)) counts.running++;
    else if (record.status === 'success') counts.done++;
    else if (FINAL_STATUSES.has(record.status)) counts.failed++;
    else counts.pending++;
    currency ||= record.result?.cost.currency ?? '';
  }
  const active = [...(runner?.live ?? new Map<string, { turns: number; cost: number; startedAt: number }>())].map(([id, live]) => ({ id, ...live }));
  return { ...counts, cost: budget.spent(), currency, active };
}
