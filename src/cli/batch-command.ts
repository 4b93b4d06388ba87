// `sprout batch`: its options; batch-action.ts turns them into the tasks, name and batch directory
// that src/batch/run-batch.ts runs. `sprout batch report DIR...` (batch-report.ts) merges shard reports.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { PROVIDER_NAMES } from '../config/providers.js';
import { REASONING_EFFORTS } from '../model/thinking.js';
import { parseShard } from '../batch/shard.js';
import type { BatchOpts } from './batch-action.js';
import { defineBatchReportCommand } from './batch-report.js';
import { positiveInt, positiveNumber } from './run-options.js';

/** Default tasks at a time: model requests, not CPU, are what a batch waits on; providers rate-limit. */
const DEFAULT_CONCURRENCY = 2;

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
    .option('--shard <i/n>', 'run only shard I of N (a stable split by task id), e.g. for a CI matrix', parseShard)
    .option('--retry-failed', 'start tasks that ended in error or limit over, in fresh worktrees')
    .option('--keep-worktrees', "keep successful tasks' worktrees (their branches and patches are always kept)")
    .option('--json', 'JSON Lines batch events on stdout (task_start, task_end, batch_result), progress on stderr')
    .option('-m, --model <id>', 'model for tasks that name none')
    .addOption(new Option('--provider <name>', 'endpoint preset').choices(PROVIDER_NAMES))
    .option('--base-url <url>', "override the provider's base URL")
    .option('--max-turns <n>', 'per task: stop after N model requests', positiveInt)
    .option('--timeout <seconds>', 'per task: wall-clock limit', positiveNumber)
    .addOption(new Option('--sandbox <kind>', 'where tools run (default bwrap)').choices(['bwrap', 'none']))
    .option('--network', 'allow network access inside the sandbox')
    .addOption(new Option('--reasoning-effort <level>', 'thinking depth').choices(REASONING_EFFORTS))
    .option('--verify <command>', 'per task: the check to run when the model stops')
    .option('--verify-retries <n>', 'per task: times a failed check goes back to the model', wholeNumber)
    .option('--no-verify', 'per task: run no check when the model stops')
    .exitOverride()
    .action(async (manifest: string | undefined, opts: BatchOpts) => {
      // The batch machinery (worktrees, manifests, progress) loads only when a batch runs.
      const { batchAction } = await import('./batch-action.js');
      setExit(await batchAction(manifest, opts));
    });
  defineBatchReportCommand(batch, setExit);
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}
