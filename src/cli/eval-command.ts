// `sprout eval TASKS.jsonl`: its options, the shard (given, or from the CI engine's environment),
// and the call into src/eval/run-eval.ts. `sprout eval report --merge DIR...` pools shard reports.
// The action's code (eval-action.ts) loads only when `eval` runs.
import type { Command } from 'commander';
import type { PassThrough } from '../batch/child.js';
import type { Shard } from '../batch/shard.js';
import { defineEvalReportCommand } from './eval-report.js';
import { positiveInt, positiveNumber } from './run-options.js';
import { addChildRunOptions, addShardOptions } from './shared-options.js';

/** What commander parses: the eval's own options, plus the `run` options passed to every instance's run. */
export interface EvalOpts extends Omit<PassThrough, 'verify' | 'prove' | 'sandbox'> {
  name?: string;
  state?: string;
  concurrency: number;
  maxCost?: number;
  shard?: Shard;
  shardCount?: number;
  testCmd?: string;
  sandbox?: 'bwrap' | 'none';
  verify?: string | boolean;
}

export function defineEvalCommand(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('eval')
    .description('run SWE-bench-style instances, grade each in the sandbox, write predictions.jsonl and a report')
    .argument('<tasks>', 'JSONL file of instances: instance_id, repo, base_commit, problem_statement, test_patch, FAIL_TO_PASS, PASS_TO_PASS, test_cmd')
    .option('--name <name>', 'eval name for branches and the state directory (default: the task file name)')
    .option('--state <dir>', 'eval directory (default .sprout-eval/NAME)')
    .option('-j, --concurrency <n>', 'instances run at a time', positiveInt, 2)
    .option('--max-cost <amount>', 'budget of the whole eval', positiveNumber)
    .option('--task-max-cost <amount>', "each instance's --max-cost", positiveNumber)
    .option('--test-cmd <command>', 'test command for instances without a test_cmd');
  addShardOptions(command);
  addChildRunOptions(command, 'instance')
    .option('--verify <command>', 'per instance: a check when the model stops (default none: grading decides)')
    .exitOverride()
    .action(async (tasks: string, opts: EvalOpts) => {
      const { evalAction } = await import('./eval-action.js');
      setExit(await evalAction(tasks, opts));
    });
  defineEvalReportCommand(command, setExit);
}
