// `sprout eval TASKS.jsonl`: its options, the shard (given, or from the CI engine's environment),
// and the call into src/eval/run-eval.ts. `sprout eval report --merge DIR...` pools shard reports.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import type { PassThrough } from '../batch/child.js';
import { watchSignals } from '../batch/processes.js';
import { SAFE_NAME_RULE, toSafeName } from '../batch/names.js';
import { type Shard, shardLabel, shardOf } from '../batch/shard.js';
import { shardFromEnv } from '../batch/shard-env.js';
import { loadInstances } from '../eval/instances.js';
import { runEval } from '../eval/run-eval.js';
import { createProgress } from '../render/batch-progress.js';
import { defineEvalReportCommand } from './eval-report.js';
import { positiveInt, positiveNumber } from './run-options.js';
import { addChildRunOptions, addShardOptions } from './shared-options.js';
import { createSandbox } from './sandbox-choice.js';

/** What commander parses: the eval's own options, plus the `run` options passed to every instance's run. */
interface EvalOpts extends Omit<PassThrough, 'verify' | 'prove' | 'sandbox'> {
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
      setExit(await evalAction(tasks, opts));
    });
  defineEvalReportCommand(command, setExit);
}

async function evalAction(file: string, opts: EvalOpts): Promise<number> {
  const shard = opts.shard ?? shardFromEnv(process.env, opts.shardCount);
  const instances = loadInstances(file, opts.testCmd).filter((i) => !shard || shardOf(i.instance_id, shard.count) === shard.index);
  const name = opts.name ?? toSafeName(file.replace(/^.*\//, '').replace(/\.jsonl?$/, '')) ?? 'eval';
  if (opts.name !== undefined && toSafeName(opts.name) !== opts.name) throw new UsageError(`--name ${opts.name}: an eval name must be ${SAFE_NAME_RULE}`);
  const config = await loadConfig({ cwd: process.cwd(), env: process.env, flags: { model: opts.model, provider: opts.provider as never, baseUrl: opts.baseUrl, sandbox: opts.sandbox, network: opts.network } });
  const dir = resolve(opts.state ?? `.sprout-eval/${name}${shard ? `.${shardLabel(shard)}` : ''}`);
  const signals = watchSignals();
  try {
    const { report, exitCode } = await runEval(
      {
        name, dir, instances, concurrency: opts.concurrency, maxCost: opts.maxCost, shard, modelName: config.model,
        openSandbox: (root) => createSandbox(config, root, process.env),
        pass: {
          model: opts.model, provider: opts.provider, baseUrl: opts.baseUrl, maxTurns: opts.maxTurns, timeout: opts.timeout,
          sandbox: opts.sandbox, network: opts.network, taskMaxCost: opts.taskMaxCost,
          // The grade is the proof: the model's run checks nothing unless --verify asks.
          verify: typeof opts.verify === 'string' ? opts.verify : false, prove: false,
        },
      },
      { env: process.env, stdout: process.stdout, stderr: process.stderr, interrupts: signals, createProgress },
    );
    const t = report.totals;
    process.stdout.write(`${t.resolved}/${t.instances} resolved (${(100 * t.resolve_rate).toFixed(1)}%); report in ${dir}/eval-report.md, predictions in ${dir}/predictions.jsonl\n`);
    return exitCode;
  } finally {
    signals.dispose();
  }
}
