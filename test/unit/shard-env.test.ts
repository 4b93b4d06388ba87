// The shard of a job read from its CI engine's environment when --shard is not given.
import { expect, it } from 'vitest';
import { shardFromEnv } from '../../src/batch/shard-env.js';

it('reads Kubernetes (0-based, total given), GitLab (1-based) and Buildkite (0-based) shards as 1-based I/N', () => {
  expect(shardFromEnv({ JOB_COMPLETION_INDEX: '0', SPROUT_SHARD_COUNT: '3' })).toEqual({ index: 1, count: 3 });
  expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2' }, 3)).toEqual({ index: 3, count: 3 });
  expect(shardFromEnv({ CI_NODE_INDEX: '2', CI_NODE_TOTAL: '4' })).toEqual({ index: 2, count: 4 });
  expect(shardFromEnv({ BUILDKITE_PARALLEL_JOB: '0', BUILDKITE_PARALLEL_JOB_COUNT: '2' })).toEqual({ index: 1, count: 2 });
  expect(shardFromEnv({})).toBeUndefined();
});

it('refuses an index without a total, past the total, or not a number, saying what to set', () => {
  expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '1' })).toThrow(/pass --shard-count N .* or set SPROUT_SHARD_COUNT/);
  expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '3', SPROUT_SHARD_COUNT: '3' })).toThrow('JOB_COMPLETION_INDEX gives shard 4 of 3, which does not exist');
  expect(() => shardFromEnv({ CI_NODE_INDEX: 'x', CI_NODE_TOTAL: '2' })).toThrow('CI_NODE_INDEX=x is not a whole number');
});
