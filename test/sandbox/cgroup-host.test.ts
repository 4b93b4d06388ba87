// Finding the cgroup hierarchies in /proc/self/mountinfo and this process's place in them, for a
// cgroup v2 host and a hybrid v1 one, plus what the real host allows (a call's cgroup can be made).
import { existsSync, mkdirSync, readFileSync, rmdirSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { createCallCgroup, sweepStaleCgroups } from '../../sandbox/cgroup.js';
import { detectCgroups, mountPoints, ownPath } from '../../sandbox/cgroup-host.js';

const V2_MOUNTS = '30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n';
const HYBRID_MOUNTS = [
  '25 24 0:22 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '26 24 0:23 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '27 24 0:24 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  '28 24 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
].join('\n');

it('finds cgroup2 mounts and v1 mounts by controller', () => {
  expect(mountPoints(V2_MOUNTS)).toEqual(['/sys/fs/cgroup']);
  expect(mountPoints(V2_MOUNTS, 'pids')).toEqual([]);
  expect(mountPoints(HYBRID_MOUNTS)).toEqual(['/sys/fs/cgroup/unified']);
  expect(mountPoints(HYBRID_MOUNTS, 'pids')).toEqual(['/sys/fs/cgroup/pids']);
  expect(mountPoints(HYBRID_MOUNTS, 'cpu')).toEqual(['/sys/fs/cgroup/cpu,cpuacct']);
});

it("reads this process's path in the v2 and in a v1 hierarchy", () => {
  const membership = '8:pids:/ci/job\n4:memory:/process_api/abc\n0::/user.slice/app.slice/run-1.scope\n';
  expect(ownPath(membership, (controllers, id) => id === '0' && controllers.join('') === '')).toBe('/user.slice/app.slice/run-1.scope');
  expect(ownPath(membership, (controllers) => controllers.includes('pids'))).toBe('/ci/job');
  expect(ownPath(membership, (controllers) => controllers.includes('memory'))).toBe('/process_api/abc');
});

it("a call's cgroup can be made, limited and removed wherever detection says so", async () => {
  const host = await detectCgroups();
  const cgroup = await createCallCgroup(host, { processes: 64, memoryBytes: 256 * 1024 * 1024 });
  expect(cgroup === undefined).toBe(host.kind === 'none');
  const dirs = (cgroup?.procsFiles ?? []).map((file) => dirname(file));
  const pids = dirs.find((dir) => existsSync(join(dir, 'pids.max')));
  if (cgroup) expect(readFileSync(join(pids!, 'pids.max'), 'utf8').trim()).toBe('64');
  await cgroup?.remove();
  for (const dir of dirs) expect(existsSync(dir), dir).toBe(false);
});

it('sweeps the empty call cgroups a killed run left, and nothing of a live or recent one', async () => {
  const host = await detectCgroups();
  const parent = host.kind === 'v2' ? host.parent : host.kind === 'v1' ? host.pidsParent : undefined;
  if (!parent) throw new Error(`this test needs a cgroup: ${host.kind === 'none' ? host.reason : ''}`);
  const dead = 2 ** 22 + 12_345; // above the kernel's pid_max, so no process has it
  const old = join(parent, `sprout-${dead}-1`);
  const recent = join(parent, `sprout-${dead}-2`);
  const live = join(parent, `sprout-${process.ppid}-9999`);
  for (const dir of [old, recent, live]) mkdirSync(dir);
  const hourAgo = new Date(Date.now() - 3600_000);
  for (const dir of [old, live]) utimesSync(dir, hourAgo, hourAgo);
  try {
    await sweepStaleCgroups(host);
    expect([existsSync(old), existsSync(recent), existsSync(live)]).toEqual([false, true, true]);
  } finally {
    for (const dir of [old, recent, live]) if (existsSync(dir)) rmdirSync(dir);
  }
});
