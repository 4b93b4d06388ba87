// `sprout batch`: its options, and turning them into the tasks, name and batch directory that
// src/batch/run-batch.ts runs. `sprout batch report DIR...` (batch-report.ts) merges shard reports.
// The action's code (batch-action.ts) loads only when `batch` runs.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { REASONING_EFFORTS } from '../model/thinking.js';
import type { PassThrough } from '../batch/child.js';
import type { Shard } from '../batch/shard.js';
import { defineBatchReportCommand } from './batch-report.js';
import { positiveInt, positiveNumber } from './run-options.js';
import { addChildRunOptions, addShardOptions } from './shared-options.js';

/** Default tasks at a time: model requests, not CPU, are what a batch waits on; providers rate-limit. */
const DEFAULT_CONCURRENCY = 2;

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
      const { batchAction } = await import('./batch-action.js');
      setExit(await batchAction(manifest, opts));
    });
  defineBatchReportCommand(batch, setExit);
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}
