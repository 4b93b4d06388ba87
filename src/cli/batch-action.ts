// What `sprout batch` does once its options are parsed (batch-command.ts): the tasks from a manifest
// or --dirs, this job's shard, the batch name and directory, then src/batch/run-batch.ts.
import { resolve } from 'node:path';
import type { ProviderName } from '../config/providers.js';
import type { PassThrough } from '../batch/child.js';
import { tasksFromDirs } from '../batch/dirs.js';
import { type BatchTask, loadManifest, manifestName } from '../batch/manifest.js';
import { isSafeName, SAFE_NAME_RULE, toSafeName } from '../batch/names.js';
import { watchSignals } from '../batch/processes.js';
import { runBatch } from '../batch/run-batch.js';
import { selectShard, shardLabel } from '../batch/shard.js';
import { shardFromEnv } from '../batch/shard-env.js';
import { UsageError } from '../errors.js';
import type { BatchProgress, ProgressIo } from '../batch/progress.js';
import { loadConfig } from '../config/load.js';
import { findProfile } from '../model/profiles.js';
import { createProgress } from '../render/batch-progress.js';
import { wantsLive } from './output.js';
import type { BatchOpts } from './batch-command.js';

export async function batchAction(manifest: string | undefined, opts: BatchOpts): Promise<number> {
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
