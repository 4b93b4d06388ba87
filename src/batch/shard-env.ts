// The shard of this job when --shard is not given, from the engine that started it: Kubernetes
// Indexed Jobs (JOB_COMPLETION_INDEX, 0-based, with the total from --shard-count or
// SPROUT_SHARD_COUNT, since Kubernetes does not expose it), GitLab parallel jobs (CI_NODE_INDEX,
// 1-based, CI_NODE_TOTAL) and Buildkite (BUILDKITE_PARALLEL_JOB, 0-based, BUILDKITE_PARALLEL_JOB_COUNT).
// A GitHub Actions matrix passes --shard itself.
import { UsageError } from '../errors.js';
import type { Shard } from './shard.js';

/** The shard named by `env`, undefined when no engine names one. */
export function shardFromEnv(env: NodeJS.ProcessEnv, count?: number): Shard | undefined {
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const total = count ?? (env.SPROUT_SHARD_COUNT === undefined ? undefined : whole(env.SPROUT_SHARD_COUNT, 'SPROUT_SHARD_COUNT'));
    if (total === undefined) throw new UsageError('JOB_COMPLETION_INDEX is set but not the number of shards: pass --shard-count N (the Job\'s completions) or set SPROUT_SHARD_COUNT');
    return make(whole(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX') + 1, total, 'JOB_COMPLETION_INDEX');
  }
  if (env.CI_NODE_INDEX !== undefined && env.CI_NODE_TOTAL !== undefined) {
    return make(whole(env.CI_NODE_INDEX, 'CI_NODE_INDEX'), whole(env.CI_NODE_TOTAL, 'CI_NODE_TOTAL'), 'CI_NODE_INDEX');
  }
  if (env.BUILDKITE_PARALLEL_JOB !== undefined && env.BUILDKITE_PARALLEL_JOB_COUNT !== undefined) {
    return make(whole(env.BUILDKITE_PARALLEL_JOB, 'BUILDKITE_PARALLEL_JOB') + 1, whole(env.BUILDKITE_PARALLEL_JOB_COUNT, 'BUILDKITE_PARALLEL_JOB_COUNT'), 'BUILDKITE_PARALLEL_JOB');
  }
  return undefined;
}

function whole(text: string, name: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${name}=${text} is not a whole number`);
  return Number(text.trim());
}

function make(index: number, count: number, name: string): Shard {
  if (count < 1 || index < 1 || index > count) throw new UsageError(`${name} gives shard ${index} of ${count}, which does not exist`);
  return { index, count };
}
