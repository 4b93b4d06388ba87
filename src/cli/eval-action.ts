// What `sprout eval` does once its options are parsed (eval-command.ts): load the instances of this
// job's shard, run and grade them (src/eval/run-eval.ts), and print the resolve rate.
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { watchSignals } from '../batch/processes.js';
import { SAFE_NAME_RULE, toSafeName } from '../batch/names.js';
import { shardLabel, shardOf } from '../batch/shard.js';
import { shardFromEnv } from '../batch/shard-env.js';
import { loadInstances } from '../eval/instances.js';
import { runEval } from '../eval/run-eval.js';
import { createProgress } from '../render/batch-progress.js';
import { createSandbox } from './sandbox-choice.js';
import type { EvalOpts } from './eval-command.js';

export async function evalAction(file: string, opts: EvalOpts): Promise<number> {
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
