// Which cgroups this process may create for its sandboxed calls, found once per process. cgroup v2
// is preferred: the nearest ancestor of sprout's own cgroup that delegates the `pids` controller
// (and `memory`, if it can) and that sprout may write. A host with the v1 controllers (older
// distributions, some VMs) gets one cgroup per call in the v1 `pids` and `memory` hierarchies. A
// real trial (create, limit, remove) decides, since permissions alone do not tell.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Where per-call cgroups go; `none` says why there are none. */
export type CgroupHost =
  | { kind: 'v2'; parent: string; memory: boolean }
  | { kind: 'v1'; pidsParent: string; memoryParent?: string }
  | { kind: 'none'; reason: string };

let cached: Promise<CgroupHost> | undefined;

/** Detect once per process; later calls share the answer. */
export function detectCgroups(): Promise<CgroupHost> {
  cached ??= detect().catch((error: Error) => ({ kind: 'none' as const, reason: `cgroups could not be read (${error.message})` }));
  return cached;
}

async function detect(): Promise<CgroupHost> {
  const membership = await fs.readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  const mounts = await fs.readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const v2 = await unifiedParent(membership, mounts);
  if (v2) return v2;
  const pidsParent = await v1Parent(membership, mounts, 'pids');
  if (pidsParent) return { kind: 'v1', pidsParent, memoryParent: await v1Parent(membership, mounts, 'memory') };
  return { kind: 'none', reason: 'no cgroup with the pids controller is writable by this user' };
}

/** Mount points of cgroup file systems in /proc/self/mountinfo: `cgroup2` ones, or v1 ones carrying `controller`. */
export function mountPoints(mounts: string, controller?: string): string[] {
  const points: string[] = [];
  for (const line of mounts.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const [fsType, , superOptions = ''] = after.split(' ');
    const mountPoint = before.split(' ')[4];
    if (!mountPoint) continue;
    if (controller === undefined ? fsType === 'cgroup2' : fsType === 'cgroup' && superOptions.split(',').includes(controller)) points.push(mountPoint);
  }
  return points;
}

/** This process's path in the hierarchy whose /proc/self/cgroup line matches (`0::` for v2). */
export function ownPath(membership: string, matches: (controllers: string[], id: string) => boolean): string | undefined {
  for (const line of membership.split('\n')) {
    const [id, controllers, ...rest] = line.split(':');
    if (id !== undefined && controllers !== undefined && matches(controllers.split(','), id)) return rest.join(':');
  }
  return undefined;
}

async function unifiedParent(membership: string, mounts: string): Promise<CgroupHost | undefined> {
  const own = ownPath(membership, (controllers, id) => id === '0' && controllers.join('') === '');
  if (own === undefined) return undefined;
  for (const mount of mountPoints(mounts)) {
    // From sprout's own cgroup up to the mount's root: the nearest that delegates pids and can be written.
    for (let dir = path.resolve(mount, `.${own}`); dir.startsWith(mount); dir = path.dirname(dir)) {
      const enabled = (await fs.readFile(path.join(dir, 'cgroup.subtree_control'), 'utf8').catch(() => '')).split(/\s+/);
      // Moving a process between cgroups needs write access to their common ancestor's cgroup.procs.
      const movable = await fs.access(path.join(dir, 'cgroup.procs'), fs.constants.W_OK).then(() => true, () => false);
      if (enabled.includes('pids') && movable && (await trial(dir, ['pids.max']))) {
        return { kind: 'v2', parent: dir, memory: enabled.includes('memory') };
      }
      if (dir === mount) break;
    }
  }
  return undefined;
}

async function v1Parent(membership: string, mounts: string, controller: 'pids' | 'memory'): Promise<string | undefined> {
  const own = ownPath(membership, (controllers) => controllers.includes(controller));
  const limit = controller === 'pids' ? 'pids.max' : 'memory.limit_in_bytes';
  for (const mount of own === undefined ? [] : mountPoints(mounts, controller)) {
    const dir = path.resolve(mount, `.${own!}`);
    if (await trial(dir, [limit])) return dir;
  }
  return undefined;
}

/** Can a child cgroup be made under `dir`, its limit files written and itself removed again? */
async function trial(dir: string, files: string[]): Promise<boolean> {
  const child = path.join(dir, `sprout-probe-${process.pid}`);
  try {
    await fs.mkdir(child);
  } catch {
    return false;
  }
  try {
    for (const file of files) await fs.writeFile(path.join(child, file), file === 'pids.max' ? '64' : `${64 * 1024 * 1024}`);
    await fs.access(path.join(child, 'cgroup.procs'), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  } finally {
    await fs.rmdir(child).catch(() => undefined);
  }
}

/** One line for `sprout doctor` and the docs: what a fork bomb or memory bomb runs into here. */
export function describeCgroupHost(host: CgroupHost): string {
  if (host.kind === 'v2') return `cgroup v2 per call under ${host.parent} (pids${host.memory ? ', memory' : ''})`;
  if (host.kind === 'v1') return `cgroup v1 per call (pids under ${host.pidsParent}${host.memoryParent ? `, memory under ${host.memoryParent}` : ''})`;
  return host.reason;
}
