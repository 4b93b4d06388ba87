// `--shard I/N`: a stable 1/N of a batch's tasks, so a CI matrix can spread one manifest over N
// machines. A task's shard depends only on its id (sha1 of the id, mod N), not on its position, so
// adding or reordering tasks never moves the others and shards 1..N cover every task exactly once.
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from 'commander';

/** Shard I of N, 1-based. */
export interface Shard {
  index: number;
  count: number;
}

/** Parse `I/N` (1 <= I <= N); throws commander's InvalidArgumentError so it reads as a usage error. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected I/N, e.g. 2/3 for the second of three shards');
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new InvalidArgumentError(`expected 1 <= I <= N, got ${index}/${count}`);
  return { index, count };
}

/** The shard (1-based) a task id belongs to out of `count`. */
export function shardOf(id: string, count: number): number {
  const digest = createHash('sha1').update(id, 'utf8').digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The items whose id falls in `shard`; all of them without a shard. */
export function selectShard<T extends { id: string }>(items: T[], shard: Shard | undefined): T[] {
  if (!shard) return items;
  return items.filter((item) => shardOf(item.id, shard.count) === shard.index);
}

/** `shard-2-of-3`, for default state directory names. */
export function shardLabel(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}
