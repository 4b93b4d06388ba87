// `sprout batch`: its options, and turning them into the tasks, name and batch directory that
// src/batch/run-batch.ts runs. `sprout batch report DIR...` (batch-report.ts) merges shard reports.
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ProviderName } from '../config/providers.js';
import { REASONING_EFFORTS } from '../model/thinking.js';
import type { PassThrough } from '../batch/child.js';
import { tasksFromDirs } from '../batch/dirs.js';
import { type BatchTask, loadManifest, manifestName } from '../batch/manifest.js';
import { isSafeName, SAFE_NAME_RULE, toSafeName } from '../batch/names.js';
import { watchSignals } from '../batch/processes.js';
import { runBatch } from '../batch/run-batch.js';
import { type Shard, selectShard, shardLabel } from '../batch/shard.js';
import { shardFromEnv } from '../batch/shard-env.js';
import { UsageError } from '../errors.js';
import type { BatchProgress, ProgressIo } from '../batch/progress.js';
import { loadConfig } from '../config/load.js';
import { findProfile } from '../model/profiles.js';
import { createProgress } from '../render/batch-progress.js';
import { wantsLive } from './output.js';
import { defineBatchReportCommand } from './batch-report.js';
import { positiveInt, positiveNumber } from './run-options.js';
import { addChildRunOptions, addShardOptions } from './shared-options.js';

/** Default tasks at a time: model requests, not CPU, are what a batch waits on; providers rate-limit. */
const DEFAULT_CONCURRENCY = 2;

/** What commander parses: the batch's own options, plus the `run` options passed to every child. */
interface BatchOpts extends Omit<PassThrough, 'verify'> {
  dirs?: string;
  prompt?: string;
  issue?: string;
  name?: string;
  state?: string;
  concurrency: number;
  maxCost?: number;
  taskMaxCost?: number;
  shard?: Shard;
  shardCount?: number;
  retryFailed?: boolean;
  keepWorktrees?: boolean;
  json?: boolean;
  progressEvery?: number;
  /** commander's value for --verify CMD / --no-verify. */
  verify?: string | boolean;
}

/** Add `batch` (and `batch report`) to the program; `setExit` receives the exit code. */
export function defineBatchCommand(program: Command, setExit: (code: number) => void): void {
  const batch = program
    .command('batch')
    .description('run many tasks, each in its own git worktree (or copy), a few at a time; re-run to resume')
    .argument('[manifest]', 'JSON, JSONL or YAML file listing tasks {id, cwd, prompt or issue, model?, max_cost?}')
    .option('--dirs <pattern>', "one task per directory matching this glob (e.g. 'packages/*'), with --prompt or --issue")
    .option('--prompt <text>', 'with --dirs: the task for every directory')
    .option('--issue <file>', 'with --dirs: an issue file as the task for every directory')
    .option('--name <name>', 'batch name for branches sprout/NAME/ID and the state directory (default: manifest file name, or "dirs")')
    .option('--state <dir>', 'batch directory for state, worktrees, patches, logs and reports (default .sprout-batch/NAME)')
    .option('-j, --concurrency <n>', 'tasks run at a time', positiveInt, DEFAULT_CONCURRENCY)
    .option('--max-cost <amount>', 'budget of the whole batch: no task starts once the total would pass it', positiveNumber)
    .option('--task-max-cost <amount>', "each task's --max-cost, unless its manifest entry sets max_cost", positiveNumber)
    .option('--retry-failed', 'start tasks that ended in error or limit over, in fresh worktrees')
    .option('--keep-worktrees', "keep successful tasks' worktrees (their branches and patches are always kept)")
    .option('--json', 'JSON Lines batch events on stdout (task_start, task_end, batch_result), progress on stderr');
  addShardOptions(batch);
  addChildRunOptions(batch, 'task')
    .addOption(new Option('--reasoning-effort <level>', 'thinking depth').choices(REASONING_EFFORTS))
    .option('--verify <command>', 'per task: the check to run when the model stops')
    .option('--verify-retries <n>', 'per task: times a failed check goes back to the model', wholeNumber)
    .option('--no-verify', 'per task: run no check when the model stops')
    .option('--progress-every <seconds>', 'without a terminal, write a progress line this often (default 30)', positiveNumber)
    .exitOverride()
    .action(async (manifest: string | undefined, opts: BatchOpts) => {
      setExit(await batchAction(manifest, opts));
    });
  defineBatchReportCommand(batch, setExit);
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

async function batchAction(manifest: string | undefined, opts: BatchOpts): Promise<number> {
  const all = await loadTasks(manifest, opts);
  // Without --shard, the CI engine's environment may name this job's shard.
  opts.shard ??= shardFromEnv(process.env, opts.shardCount);
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
      { env: process.env, stdout: process.stdout, stderr: process.stderr, json: Boolean(opts.json), interrupts: signals, createProgress: await progressView(opts) },
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

/** The progress view, told the currency up front and whether a live view may draw on stderr. */
async function progressView(opts: BatchOpts): Promise<(io: ProgressIo) => BatchProgress> {
  const config = await loadConfig({ cwd: process.cwd(), env: process.env, flags: { provider: opts.provider as ProviderName | undefined, model: opts.model } }).catch(() => undefined);
  const currency = config ? findProfile(config.model, config.provider, config.models).currency : undefined;
  const plainEveryMs = opts.progressEvery === undefined ? undefined : opts.progressEvery * 1000;
  return (io) => createProgress({ ...io, tty: io.tty && wantsLive(process.stderr, process.env), currency, plainEveryMs });
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
