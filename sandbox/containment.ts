// What bounds one sandboxed call on this host, in words for `sprout doctor`: a cgroup per call
// where sprout may make one, RLIMIT_NPROC otherwise (which root is exempt from), and whether this
// bwrap can size-limit the call's /tmp.
import { type CgroupHost, describeCgroupHost, detectCgroups } from './cgroup-host.js';
import { probeBwrap } from './bwrap-probe.js';

/** The verdict: `ok` is false when a fork bomb in a call would not be bounded here. */
export interface ContainmentReport {
  ok: boolean;
  detail: string;
}

/** Check the host the bwrap backend would run on (`searchPath` finds bwrap). */
export async function checkContainment(searchPath: string): Promise<ContainmentReport> {
  const probe = await probeBwrap({ searchPath });
  const cgroups = await detectCgroups();
  const tmp = probe.ok && !probe.sizedTmpfs ? `; /tmp is not size-limited (bwrap ${probe.version} has no --size; 0.8+ has)` : '; /tmp size-limited';
  const bound = processBound(cgroups, process.getuid?.() === 0);
  return { ok: bound.ok, detail: `${bound.detail}${tmp}` };
}

function processBound(cgroups: CgroupHost, root: boolean): ContainmentReport {
  if (cgroups.kind !== 'none') return { ok: true, detail: describeCgroupHost(cgroups) };
  if (!root) return { ok: true, detail: `RLIMIT_NPROC per call (its own user namespace) and per-process RLIMIT_DATA; no cgroup: ${cgroups.reason}` };
  return {
    ok: false,
    detail: `no bound on a call's processes: running as root, which RLIMIT_NPROC does not bind, and ${cgroups.reason}; run as a normal user, or give sprout a writable cgroup (e.g. systemd-run --user --scope -p Delegate=yes, or a container with cgroup write access)`,
  };
}
