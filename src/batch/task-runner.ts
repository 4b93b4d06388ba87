// Running one task of a batch: decide between skipping it (finished, or over the budget), resuming
// its saved session in its existing worktree, or starting it in a fresh one; then run the child,
// keep state.json up to date at each step, and clean up a successful task's worktree.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult, RunStatus } from '../agent/events.js';
import { BATCH_PARENT_ENV } from '../config/process-limits.js';
import { sessionsDir } from '../session/store.js';
import type { BatchBudget } from './budget.js';
import { type ChildOutcome, childArgs, type PassThrough, type RunningChild, startChild } from './child.js';
import type { BatchTask } from './manifest.js';
import { stopLeftover } from './processes.js';
import type { BatchProgress } from './progress.js';
import { reportRow } from './report.js';
import { batchPaths, type BatchState, FINAL_STATUSES, type TaskRecord } from './state.js';
import { createWorkspace, removeWorkspace, type Workspace } from './workspace.js';

export interface TaskRunnerOptions {
  state: BatchState;
  budget: BatchBudget;
  progress: BatchProgress;
  pass: PassThrough;
  env: NodeJS.ProcessEnv;
  /** Start error and limit tasks over (fresh worktree) instead of skipping them. */
  retryFailed: boolean;
  keepWorktrees: boolean;
}

export class TaskRunner {
  /** Children running now, by task id. */
  readonly running = new Map<string, RunningChild>();
  /** What each running task has done so far in this attempt, for the progress view. */
  readonly live = new Map<string, { turns: number; cost: number; startedAt: number }>();
  /** Tasks the budget kept from starting in this invocation. */
  readonly skipped = new Set<string>();
  private stopping = false;

  constructor(private readonly o: TaskRunnerOptions) {}

  /** Stop starting tasks and pass the signal to running children (they save their sessions). */
  stop(signal: NodeJS.Signals): void {
    this.stopping = true;
    for (const child of this.running.values()) child.kill(signal);
  }

  /** Whether the task needs no run: finished (and not to be retried). */
  isDone(record: TaskRecord): boolean {
    if (!FINAL_STATUSES.has(record.status)) return false;
    return record.status === 'success' || !this.o.retryFailed;
  }

  /** Run the task; whatever goes wrong becomes that task's error, never the batch's end. */
  async run(task: BatchTask): Promise<void> {
    try {
      await this.attempt(task);
    } catch (error) {
      const message = `the batch could not run this task: ${error instanceof Error ? error.message : String(error)}`;
      try {
        this.o.state.update(task.id, { status: 'error', error: message, pid: undefined });
        this.o.progress.taskFinished(reportRow(this.o.state.get(task.id), false));
      } catch {
        // The state itself cannot be written (disk full?): the report will show the last saved state.
      }
    }
  }

  private async attempt(task: BatchTask): Promise<void> {
    const { state, progress } = this.o;
    const record = state.get(task.id);
    if (this.stopping) return;
    if (this.isDone(record)) return progress.taskSkipped(task.id, 'done', record.status);
    const maxCost = task.maxCost ?? this.o.pass.taskMaxCost;
    if (!this.o.budget.allows(maxCost)) {
      this.skipped.add(task.id);
      return progress.taskSkipped(task.id, 'budget', record.status);
    }
    // A child that outlived a killed batch must stop before anything else touches its worktree.
    if (record.status === 'running' && record.workdir) await stopLeftover(record.pid, record.workdir);
    const resume = this.resumable(record);
    let workspace: Workspace;
    if (resume) {
      workspace = { root: record.workspace!, workdir: record.workdir!, repo: record.repo, branch: record.branch };
    } else {
      const replace = record.attempts > 0;
      state.update(task.id, { status: 'running', session_id: undefined, result: undefined, error: undefined, pid: undefined, attempts: record.attempts + 1 });
      try {
        workspace = await this.makeWorkspace(task, replace);
      } catch (error) {
        state.update(task.id, { status: 'error', error: error instanceof Error ? error.message : String(error), finished_at: new Date().toISOString() });
        return progress.taskFinished(reportRow(state.get(task.id), false));
      }
    }
    await this.runChild(task, workspace, resume ? record.session_id : undefined);
  }

  /** A session to continue: the task was started, its worktree and its session file still exist. */
  private resumable(record: TaskRecord): boolean {
    if (!record.session_id || !record.workdir || !existsSync(record.workdir)) return false;
    if (!existsSync(join(sessionsDir(this.o.env), `${record.session_id}.jsonl`))) return false;
    // Failed tasks (--retry-failed) start over: resuming would carry on from what went wrong.
    return record.status === 'running' || record.status === 'interrupted';
  }

  private makeWorkspace(task: BatchTask, replace: boolean): Promise<Workspace> {
    const { state } = this.o;
    return createWorkspace({ id: task.id, cwd: task.cwd, batchName: state.name, worktrees: batchPaths(state.dir).worktrees, batchDir: state.dir, replace, base: task.base });
  }

  private async runChild(task: BatchTask, ws: Workspace, resume: string | undefined): Promise<void> {
    const { state, budget, progress } = this.o;
    const paths = batchPaths(state.dir);
    const previous = state.get(task.id);
    const patch = join(paths.patches, `${task.id}.patch`);
    const { args, stdin } = childArgs(
      { workdir: ws.workdir, commit: ws.repo !== undefined, patch, resume, prompt: task.prompt, issue: task.issue, model: task.model, maxCost: task.maxCost },
      this.o.pass,
    );
    // SIGINT may have come while the workspace was being made: leave the task for a re-run.
    if (this.stopping) {
      state.update(task.id, { status: 'interrupted', workspace: ws.root, workdir: ws.workdir, repo: ws.repo, branch: ws.branch });
      return;
    }
    const startedAt = Date.now();
    budget.started(task.id, task.maxCost ?? this.o.pass.taskMaxCost);
    const child = startChild(args, stdin, {
      env: childEnv(this.o.env),
      logBase: join(paths.logs, task.id),
      onEvent: (event) => {
        if (event.type === 'session' && typeof event.session_id === 'string') state.update(task.id, { session_id: event.session_id });
        if (event.type === 'usage' && typeof event.cost === 'number') {
          budget.spend(task.id, event.cost);
          const live = this.live.get(task.id);
          if (live) Object.assign(live, { turns: live.turns + (event.purpose === undefined ? 1 : 0), cost: live.cost + event.cost });
          progress.refresh();
        }
      },
    });
    this.running.set(task.id, child);
    this.live.set(task.id, { turns: 0, cost: 0, startedAt });
    state.update(task.id, {
      status: 'running', pid: child.pid, workspace: ws.root, workdir: ws.workdir, repo: ws.repo, branch: ws.branch, patch,
      started_at: new Date(startedAt).toISOString(), attempts: resume ? previous.attempts + 1 : previous.attempts,
    });
    progress.taskStarted(task.id, { attempt: state.get(task.id).attempts, resumed: resume !== undefined, workdir: ws.workdir });
    const outcome = await child.done;
    this.running.delete(task.id);
    this.live.delete(task.id);
    await this.finish(task.id, outcome, Date.now() - startedAt);
  }

  private async finish(id: string, outcome: ChildOutcome, elapsed: number): Promise<void> {
    const { state, budget } = this.o;
    const before = state.get(id);
    const status: RunStatus = outcome.result?.status ?? (this.stopping ? 'interrupted' : 'error');
    const result: RunResult | undefined = outcome.result ?? before.result;
    const record = state.update(id, {
      status, result, pid: undefined, finished_at: new Date().toISOString(), duration_ms: before.duration_ms + elapsed,
      error: outcome.result ? undefined : crashMessage(outcome),
    });
    budget.ended(id, result?.cost.amount, FINAL_STATUSES.has(status));
    if (status === 'success' && !this.o.keepWorktrees && record.workspace) {
      await removeWorkspace(record.workspace, record.repo, result?.commit ? undefined : record.branch);
    }
    this.o.progress.taskFinished(reportRow(record, false));
  }
}

/**
 * The batch's environment, less what would make every child write into the CI job's summary, plus
 * the batch's pid: a child whose batch is killed stops by itself (src/cli/parent-watch.ts).
 */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { GITHUB_STEP_SUMMARY: _summary, ...rest } = env;
  return { ...rest, [BATCH_PARENT_ENV]: String(process.pid) };
}

function crashMessage(outcome: ChildOutcome): string {
  const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${String(outcome.code)}`;
  const tail = outcome.stderrTail.trim().split('\n').slice(-3).join(' ').trim();
  return `sprout run ${how} without a result${tail ? `: ${tail}` : ''}`;
}
