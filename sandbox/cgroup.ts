// One cgroup per sandboxed call, so a fork bomb or a memory bomb meets a limit on the call's whole
// process tree (ulimits count per process, and root is exempt from RLIMIT_NPROC). The call's first
// process joins the cgroup before it starts anything, and the cgroup is emptied and removed when the
// call ends. Where no cgroup can be made (see cgroup-host.ts), the ulimits in bwrap.ts still apply.
import { promises as fs, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CgroupHost } from './cgroup-host.js';

/** Limits of one call's process tree. */
export interface CallLimits {
  /** Processes and threads alive at once. */
  processes: number;
  /** Memory of the whole tree, tmpfs pages written by it included. */
  memoryBytes?: number;
}

/** The cgroups of one call. */
export interface CallCgroup {
  /** The `cgroup.procs` files the call's first process writes its pid to. */
  readonly procsFiles: readonly string[];
  /** Kill whatever is still in them and remove them. */
  remove(): Promise<void>;
}

/** How long to keep trying to remove a cgroup whose last processes are still exiting. */
const REMOVE_WITHIN_MS = 2000;
/** Pause between tries: short at first, as the last processes are usually gone within a millisecond or two. */
const REMOVE_PAUSES_MS = [0, 1, 1, 2, 3, 5];

let counter = 0;

/**
 * Make the call's cgroup(s) with `limits`; undefined when the host allows none. Synchronous: these
 * are a few writes to the in-memory cgroup file system, done right before a spawn, and a trip
 * through the thread pool for each would cost more than the writes.
 */
export function createCallCgroup(host: CgroupHost, limits: CallLimits): CallCgroup | undefined {
  if (host.kind === 'none') return undefined;
  const name = `sprout-${process.pid}-${++counter}`;
  const dirs: string[] = [];
  const make = (parent: string, settings: Record<string, number>): void => {
    const dir = path.join(parent, name);
    mkdirSync(dir);
    dirs.push(dir);
    for (const [file, value] of Object.entries(settings)) writeFileSync(path.join(dir, file), String(value));
  };
  try {
    if (host.kind === 'v2') {
      const memory = limits.memoryBytes !== undefined && host.memory;
      make(host.parent, memory ? { 'pids.max': limits.processes, 'memory.max': limits.memoryBytes! } : { 'pids.max': limits.processes });
      // No swap either where the host has it: memory.max alone would let the bomb page out instead.
      if (memory) tryWrite(path.join(dirs[0]!, 'memory.swap.max'), '0');
    } else {
      make(host.pidsParent, { 'pids.max': limits.processes });
      if (limits.memoryBytes !== undefined && host.memoryParent) make(host.memoryParent, { 'memory.limit_in_bytes': limits.memoryBytes });
    }
  } catch (error) {
    for (const dir of dirs) tryRemove(dir);
    throw new Error(`cannot set up the cgroup of this command (${(error as Error).message}); run \`sprout doctor\` to see the containment this host allows`, { cause: error });
  }
  return { procsFiles: dirs.map((dir) => path.join(dir, 'cgroup.procs')), remove: () => removeAll(dirs) };
}

function tryWrite(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch {
    // Optional setting the host does not offer.
  }
}

function tryRemove(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Left behind empty: harmless.
  }
}

/**
 * `file args` wrapped so that the process joins the call's cgroups first and only then becomes
 * `file`: writing the pid after spawning would race a command that forks at once.
 */
export function joinCgroupFirst(cgroup: CallCgroup | undefined, file: string, args: readonly string[]): { file: string; args: string[] } {
  if (!cgroup) return { file, args: [...args] };
  const script = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
  return { file: '/bin/sh', args: ['-c', script, 'sprout-cgroup', ...cgroup.procsFiles, '--', file, ...args] };
}

async function removeAll(dirs: readonly string[]): Promise<void> {
  await Promise.all(dirs.map(removeOne));
}

/** Kill what is left (the pid namespace's init is usually gone already), then remove the directory. */
async function removeOne(dir: string): Promise<void> {
  const deadline = performance.now() + REMOVE_WITHIN_MS;
  for (let attempt = 0; performance.now() < deadline; attempt++) {
    if (await fs.rmdir(dir).then(() => true, (error: NodeJS.ErrnoException) => error.code === 'ENOENT')) return;
    const killed = await fs.writeFile(path.join(dir, 'cgroup.kill'), '1').then(() => true, () => false);
    if (!killed) await killListed(path.join(dir, 'cgroup.procs'));
    const pause = REMOVE_PAUSES_MS[Math.min(attempt, REMOVE_PAUSES_MS.length - 1)]!;
    await new Promise((resolve) => (pause === 0 ? setImmediate(resolve) : setTimeout(resolve, pause)));
  }
  // Still busy after two seconds: an empty cgroup left behind is harmless, a throw here is not.
}

/** A call cgroup left this long ago by a process that is gone is litter (sprout killed with kill -9). */
const STALE_AFTER_MS = 60_000;

/**
 * Remove the empty call cgroups that sprout processes killed without warning left behind (each run
 * keeps a few ready for its next calls). Only `sprout-<pid>-<n>` of a pid that is not running and
 * older than a minute; a cgroup that still holds a process cannot be removed anyway.
 */
export async function sweepStaleCgroups(host: CgroupHost): Promise<void> {
  const parents = host.kind === 'v2' ? [host.parent] : host.kind === 'v1' ? [host.pidsParent, host.memoryParent] : [];
  for (const parent of parents.filter((p): p is string => p !== undefined)) {
    const names = await fs.readdir(parent).catch(() => [] as string[]);
    for (const name of names) {
      const pid = Number(/^sprout-(\d+)-\d+$/.exec(name)?.[1] ?? Number.NaN);
      if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
      const dir = path.join(parent, name);
      const info = await fs.stat(dir).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > STALE_AFTER_MS) await fs.rmdir(dir).catch(() => undefined);
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** cgroup v1 has no cgroup.kill: SIGKILL each listed process. */
async function killListed(procsFile: string): Promise<void> {
  const text = await fs.readFile(procsFile, 'utf8').catch(() => '');
  for (const pid of text.split('\n').filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
