// Running `sprout batch` once its options are parsed: load the tasks (manifest or --dirs), pick the
// shard, name the batch, and hand it to src/batch/run-batch.ts. Loaded only when a batch runs.
import { resolve } from 'node:path';
import type { PassThrough } from '../batch/child.js';
import { tasksFromDirs } from '../batch/dirs.js';
import { type BatchTask, loadManifest, manifestName } from '../batch/manifest.js';
import { isSafeName, SAFE_NAME_RULE, toSafeName } from '../batch/names.js';
import { watchSignals } from '../batch/processes.js';
import { runBatch } from '../batch/run-batch.js';
import { type Shard, selectShard, shardLabel } from '../batch/shard.js';
import { UsageError } from '../errors.js';
import { createProgress } from '../render/batch-progress.js';

/** What commander parses: the batch's own options, plus the `run` options passed to every child. */
export interface BatchOpts extends Omit<PassThrough, 'verify'> {
  dirs?: string;
  prompt?: string;
  issue?: string;
  name?: string;
  state?: string;
  concurrency: number;
  maxCost?: number;
  taskMaxCost?: number;
  shard?: Shard;
  retryFailed?: boolean;
  keepWorktrees?: boolean;
  json?: boolean;
  /** commander's value for --verify CMD / --no-verify. */
  verify?: string | boolean;
}

/** Run the batch; resolves to the exit code. */
export async function batchAction(manifest: string | undefined, opts: BatchOpts): Promise<number> {
  const all = await loadTasks(manifest, opts);
  const tasks = selectShard(all, opts.shard);
  const name = batchName(manifest, opts.name);
  const defaultDir = `.sprout-batch/${name}${opts.shard ? `.${shardLabel(opts.shard)}` : ''}`;
  const signals = watchSignals();
  try {
    const outcome = await runBatch(
      {
        name, dir: resolve(opts.state ?? defaultDir), tasks, concurrency: opts.concurrency, maxCost: opts.maxCost,
        pass: passThrough(opts), retryFailed: Boolean(opts.retryFailed), keepWorktrees: Boolean(opts.keepWorktrees), shard: opts.shard,
      },
      { env: process.env, stdout: process.stdout, stderr: process.stderr, json: Boolean(opts.json), interrupts: signals, createProgress },
    );
    return outcome.exitCode;
  } finally {
    signals.dispose();
  }
}

async function loadTasks(manifest: string | undefined, opts: BatchOpts): Promise<BatchTask[]> {
  if (manifest !== undefined && opts.dirs !== undefined) throw new UsageError('pass a MANIFEST or --dirs, not both');
  if (opts.dirs === undefined) {
    if (opts.prompt !== undefined || opts.issue !== undefined) {
      throw new UsageError('--prompt and --issue go with --dirs; in a manifest each task has its own prompt or issue');
    }
    if (manifest === undefined) throw new UsageError("no tasks: pass a MANIFEST file, or --dirs 'PATTERN' with --prompt TEXT");
    return loadManifest(manifest);
  }
  if (opts.prompt === undefined && opts.issue === undefined) throw new UsageError('--dirs needs the task: pass --prompt TEXT or --issue FILE');
  if (opts.prompt?.trim() === '') throw new UsageError('--prompt is empty; pass the task as text');
  return tasksFromDirs({ pattern: opts.dirs, base: process.cwd(), prompt: opts.prompt, issue: opts.issue });
}

function batchName(manifest: string | undefined, given: string | undefined): string {
  if (given !== undefined) {
    if (!isSafeName(given)) throw new UsageError(`--name ${given}: a batch name must be ${SAFE_NAME_RULE}`);
    return given;
  }
  return manifest === undefined ? 'dirs' : (toSafeName(manifestName(manifest)) ?? 'batch');
}

function passThrough(opts: BatchOpts): PassThrough {
  return {
    model: opts.model, provider: opts.provider, baseUrl: opts.baseUrl, maxTurns: opts.maxTurns, timeout: opts.timeout,
    sandbox: opts.sandbox, network: opts.network, reasoningEffort: opts.reasoningEffort, verifyRetries: opts.verifyRetries,
    taskMaxCost: opts.taskMaxCost,
    // commander turns --no-verify into verify: false and --verify CMD into a string; the default is true.
    verify: opts.verify === false ? false : typeof opts.verify === 'string' ? opts.verify : undefined,
  };
}
