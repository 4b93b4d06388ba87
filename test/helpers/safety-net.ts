// An outer bound for tests that set off fork bombs and memory bombs on purpose, so that a broken
// containment fails the test instead of hurting the shared machine: a cgroup of the test's own, with
// pids and memory limits, that the CLI under test is started in. Its `pids.events` then tells
// whether sprout's own per-call limit bound first (the net's limit was never reached).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { joinCgroupFirst } from '../../sandbox/cgroup.js';
import { detectCgroups } from '../../sandbox/cgroup-host.js';

export interface SafetyNet {
  /** `node args...` wrapped so it starts inside the net. */
  wrap(file: string, args: string[]): { file: string; args: string[] };
  /** Times a fork failed because the net's own pids limit was reached. */
  pidsLimitHits(): Promise<number>;
  close(): Promise<void>;
}

/** Make the net; throws with the reason when this machine allows no cgroup to the test. */
export async function createSafetyNet(limits: { processes: number; memoryBytes: number }): Promise<SafetyNet> {
  const host = await detectCgroups();
  const name = `sprout-test-net-${process.pid}-${Date.now()}`;
  const dirs: string[] = [];
  const make = async (dir: string, settings: Record<string, string>) => {
    await fs.mkdir(dir);
    dirs.unshift(dir);
    for (const [file, value] of Object.entries(settings)) await fs.writeFile(path.join(dir, file), value);
  };
  let procs: string[];
  let events: string;
  if (host.kind === 'v2') {
    // v2 lets no process live in a cgroup that delegates controllers: the CLI goes into a leaf.
    const net = path.join(host.parent, name);
    await make(net, { 'pids.max': String(limits.processes), ...(host.memory ? { 'memory.max': String(limits.memoryBytes) } : {}) });
    await fs.writeFile(path.join(net, 'cgroup.subtree_control'), host.memory ? '+pids +memory' : '+pids');
    await make(path.join(net, 'cli'), {});
    procs = [path.join(net, 'cli', 'cgroup.procs')];
    events = path.join(net, 'pids.events');
  } else if (host.kind === 'v1') {
    await make(path.join(host.pidsParent, name), { 'pids.max': String(limits.processes) });
    procs = [path.join(host.pidsParent, name, 'cgroup.procs')];
    if (host.memoryParent) {
      await make(path.join(host.memoryParent, name), { 'memory.limit_in_bytes': String(limits.memoryBytes) });
      procs.push(path.join(host.memoryParent, name, 'cgroup.procs'));
    }
    events = path.join(host.pidsParent, name, 'pids.events');
  } else {
    throw new Error(`containment tests need a cgroup for their safety net, and this machine allows none: ${host.reason}`);
  }
  return {
    wrap(file, args) {
      return joinCgroupFirst({ procsFiles: procs, remove: async () => undefined }, file, args);
    },
    async pidsLimitHits() {
      const text = await fs.readFile(events, 'utf8');
      return Number(/^max (\d+)/m.exec(text)?.[1] ?? 'NaN');
    },
    async close() {
      for (const dir of dirs) {
        for (let i = 0; i < 100 && (await fs.rmdir(dir).then(() => false, () => true)); i++) await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
