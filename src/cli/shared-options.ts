// Options that `sprout batch` and `sprout eval` share: the shard of this job, and the `run` options
// they pass to every task's child run.
import { type Command, Option } from 'commander';
import { PROVIDER_NAMES } from '../config/providers.js';
import { parseShard } from '../batch/shard.js';
import { positiveInt, positiveNumber } from './run-options.js';

/** --shard I/N and --shard-count N (for Kubernetes, whose Indexed Jobs name the index only). */
export function addShardOptions(command: Command): Command {
  return command
    .option('--shard <i/n>', 'run only shard I of N (a stable split by id); default: from JOB_COMPLETION_INDEX, CI_NODE_INDEX or BUILDKITE_PARALLEL_JOB', parseShard)
    .option('--shard-count <n>', 'the number of shards, with Kubernetes JOB_COMPLETION_INDEX (or SPROUT_SHARD_COUNT)', positiveInt);
}

/** The `run` options passed to each task: model, endpoint, per-task limits and the sandbox. `unit` names a task ("task", "instance"). */
export function addChildRunOptions(command: Command, unit: string): Command {
  return command
    .option('-m, --model <id>', `model for each ${unit} (a manifest entry may name its own)`)
    .addOption(new Option('--provider <name>', 'endpoint preset').choices(PROVIDER_NAMES))
    .option('--base-url <url>', "override the provider's base URL")
    .option('--max-turns <n>', `per ${unit}: stop after N model requests`, positiveInt)
    .option('--timeout <seconds>', `per ${unit}: wall-clock limit`, positiveNumber)
    .addOption(new Option('--sandbox <kind>', 'where tools run (default bwrap)').choices(['bwrap', 'none']))
    .option('--network', 'allow network access inside the sandbox');
}
