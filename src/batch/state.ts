// The batch directory's state.json: one record per task (status, session id, workspace, branch or
// patch, the child's result line), rewritten atomically (temp file + rename) after every change so a
// batch killed at any moment leaves a readable file that a re-run resumes from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../agent/events.js';
import { InputError, UsageError } from '../errors.js';
import type { BatchTask } from './manifest.js';

/**
 * `pending` not started (or skipped for the budget); `running` a child was started (if the batch
 * was killed, a re-run resumes it); `interrupted` stopped by SIGINT, resumed by a re-run; the rest
 * are final: a re-run skips them.
 */
export type TaskStatus = 'pending' | 'running' | 'success' | 'error' | 'limit' | 'interrupted';

export const FINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['success', 'error', 'limit']);

/** One task's record in state.json. */
export interface TaskRecord {
  id: string;
  /** Digest of cwd, prompt and issue: a re-run that changed the task under the same id is refused. */
  fingerprint: string;
  cwd: string;
  status: TaskStatus;
  /** Children started for this task (a resume counts). */
  attempts: number;
  session_id?: string;
  /** The running child's pid, so a re-run can stop a child that outlived a killed batch. */
  pid?: number;
  /** The worktree (or copy) root, and the child's working directory inside it. */
  workspace?: string;
  workdir?: string;
  /** The repository whose worktree this is; absent for a copy of a non-git directory. */
  repo?: string;
  branch?: string;
  patch?: string;
  started_at?: string;
  finished_at?: string;
  /** Wall-clock time of all attempts. */
  duration_ms: number;
  /** The child's last `result` line. */
  result?: RunResult;
  /** What went wrong when there is no result line to say it (the child crashed, no workspace). */
  error?: string;
}

export interface BatchStateFile {
  version: 1;
  name: string;
  created: string;
  updated: string;
  tasks: Record<string, TaskRecord>;
}

/** The files of a batch directory. */
export function batchPaths(dir: string) {
  return {
    state: join(dir, 'state.json'),
    lock: join(dir, 'lock'),
    worktrees: join(dir, 'worktrees'),
    patches: join(dir, 'patches'),
    logs: join(dir, 'logs'),
    reportJsonl: join(dir, 'report.jsonl'),
    reportMd: join(dir, 'report.md'),
  };
}

export function taskFingerprint(task: BatchTask): string {
  return createHash('sha1').update(JSON.stringify([task.cwd, task.prompt ?? null, task.issue ?? null])).digest('hex').slice(0, 16);
}

/** state.json in memory; every change is written through at once. */
export class BatchState {
  private constructor(
    readonly dir: string,
    private readonly data: BatchStateFile,
  ) {}

  /** Open (creating) the batch directory and its state; a record is made for each new task. */
  static open(dir: string, name: string, tasks: BatchTask[]): BatchState {
    const paths = batchPaths(dir);
    for (const sub of [dir, paths.worktrees, paths.patches, paths.logs]) mkdirSync(sub, { recursive: true });
    // A batch directory inside a repository (the default .sprout-batch/) must not show in git status.
    writeFileSync(join(dir, '.gitignore'), '*\n');
    const now = new Date().toISOString();
    const data = existsSync(paths.state) ? readState(paths.state) : { version: 1 as const, name, created: now, updated: now, tasks: {} };
    const state = new BatchState(dir, data);
    for (const task of tasks) state.adopt(task);
    state.save();
    return state;
  }

  get name(): string {
    return this.data.name;
  }

  get(id: string): TaskRecord {
    const record = this.data.tasks[id];
    if (!record) throw new Error(`no state for task ${id}`);
    return record;
  }

  /** Change a task's record and write state.json. */
  update(id: string, change: Partial<TaskRecord>): TaskRecord {
    const record = Object.assign(this.get(id), change);
    this.save();
    return record;
  }

  private adopt(task: BatchTask): void {
    const fingerprint = taskFingerprint(task);
    const existing = this.data.tasks[task.id];
    if (existing && existing.fingerprint !== fingerprint) {
      throw new UsageError(
        `the batch directory ${this.dir} already holds a different task "${task.id}" (its cwd, prompt or issue changed); ` +
          'pass --state DIR or --name NAME to start a new batch, or delete that directory',
      );
    }
    this.data.tasks[task.id] ??= { id: task.id, fingerprint, cwd: task.cwd, status: 'pending', attempts: 0, duration_ms: 0 };
  }

  /** Write to a temp file and rename it over state.json: readers never see half a file. */
  save(): void {
    this.data.updated = new Date().toISOString();
    const path = batchPaths(this.dir).state;
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temp, path);
  }
}

function readState(path: string): BatchStateFile {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as BatchStateFile;
    if (data.version !== 1 || typeof data.tasks !== 'object' || data.tasks === null) throw new Error('not a version 1 batch state');
    return data;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`cannot read the batch state ${path} (${reason}); delete its directory to start the batch over`);
  }
}
