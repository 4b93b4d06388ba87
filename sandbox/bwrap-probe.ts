// Can bwrap confine commands on this machine? Finds it on the given PATH and really runs it with
// the namespaces and mounts every command will need, because being installed is not enough: Ubuntu
// 24.04 (GitHub's runners among them) lets AppArmor refuse unprivileged user namespaces, and
// unprivileged containers refuse the mounts. A failure is classified by bwrap's own messages
// (bubblewrap.c, network.c) so the user gets the cause and the fix instead of a raw error.
import { baseMountArgs, isolationArgs } from './bwrap-args.js';
import { runProcess } from './exec.js';
import { findExecutable } from './find-executable.js';
import { readCachedProbe, writeCachedProbe } from './bwrap-probe-cache.js';

/** Why bwrap cannot run. */
export type BwrapProblem = 'unsupported-os' | 'not-installed' | 'namespaces-refused' | 'mounts-refused' | 'other';

/** The probe's verdict: the binary and its version, or the cause and the fixes (most likely first). */
export type BwrapProbeResult =
  | { ok: true; version: string; path: string; /** bwrap can bound a tmpfs (`--size`, bubblewrap 0.8 and later). */ sizedTmpfs: boolean }
  | { ok: false; problem: BwrapProblem; cause: string; fixes: string[] };

/** Options of probeBwrap. */
export interface BwrapProbeOptions {
  /** Where to look for bwrap, as a PATH value; defaults to process.env.PATH. */
  searchPath?: string;
  /** Give up on a bwrap that hangs after this long. */
  timeoutMs?: number;
  /** A file that remembers a passed probe across runs, for the same bwrap binary and kernel. */
  cacheFile?: string;
}

const PROBE_TIMEOUT_MS = 5000; // a healthy bwrap starts in milliseconds; this only catches a wedged one
const OUTPUT_BYTES = 4096; // bwrap's errors are one line
const PROBE_TMP_BYTES = 1024 * 1024; // any size tells whether bwrap knows --size

const FIX_INSTALL = 'install bubblewrap: `apt-get install bubblewrap` (or `dnf install bubblewrap`, `pacman -S bubblewrap`)';
const FIX_USERNS =
  'allow unprivileged user namespaces: `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0` on Ubuntu 24.04 and later ' +
  '(`sudo sysctl kernel.unprivileged_userns_clone=1` on older Debian)';
const FIX_CONTAINER = 'inside a container: allow namespaces and mounts (e.g. `docker run --security-opt seccomp=unconfined --security-opt apparmor=unconfined`, or `--privileged`)';
const FIX_NONE = 'run without isolation: `--sandbox none` (commands can then read and write everything your user can)';

/**
 * bwrap's messages when the kernel or a security module refuses the user namespace. Ubuntu 24.04's
 * AppArmor lets the namespace be created but strips its capabilities, so there the first failure
 * is setting up the uid map or the private loopback device.
 */
const NAMESPACE_REFUSED = [
  /setting up [ug]id map/i,
  /loopback: Failed/i,
  /No permissions to creat(e a|ing) new namespace/i,
  /Creating new namespace failed/i,
  /unshare user ns/i,
  /max_user_namespaces/i,
];
/** bwrap's messages when the namespace exists but mounts in it are forbidden (seccomp or AppArmor of a container, a masked /proc). */
const MOUNT_REFUSED = [/Can't mount (proc|tmpfs|devpts)/i, /Failed to make \/ slave/i, /setting up newroot bind/i, /Operation not permitted/i];

const cache = new Map<string, Promise<BwrapProbeResult>>();

/** Probe once per search path and process; later calls share the first answer. */
export function probeBwrap(options: BwrapProbeOptions = {}): Promise<BwrapProbeResult> {
  const searchPath = options.searchPath ?? process.env.PATH ?? '';
  let result = cache.get(searchPath);
  if (!result) {
    result = runProbe(searchPath, options.timeoutMs ?? PROBE_TIMEOUT_MS, options.cacheFile);
    cache.set(searchPath, result);
  }
  return result;
}

/** Forget cached answers, e.g. after installing bwrap in a long-running process. */
export function clearBwrapProbeCache(): void {
  cache.clear();
}

async function runProbe(searchPath: string, timeoutMs: number, cacheFile: string | undefined): Promise<BwrapProbeResult> {
  if (process.platform !== 'linux') {
    return { ok: false, problem: 'unsupported-os', cause: `bwrap needs Linux, and this is ${process.platform}`, fixes: [FIX_NONE] };
  }
  const bwrap = await findExecutable('bwrap', searchPath);
  if (!bwrap) return notInstalled(`bwrap was not found on PATH=${searchPath || '(empty)'}`);
  const cached = cacheFile ? readCachedProbe(cacheFile, bwrap) : undefined;
  if (cached) return cached;
  const run = (args: string[]) =>
    runProcess(bwrap, args, { cwd: '/', env: { PATH: searchPath }, timeoutMs, maxOutputBytes: OUTPUT_BYTES });

  const version = await run(['--version']);
  if (version.exitCode === 127) return notInstalled(`${bwrap} cannot be started: ${version.output.trim()}`);
  const trialWith = (tmpBytes?: number) => run([...baseMountArgs(tmpBytes), ...isolationArgs(false), '--chdir', '/', '--', 'true']);
  // Tried with a bounded /tmp first, as exec uses it; an older bwrap without --size still confines.
  let trial = await trialWith(PROBE_TMP_BYTES);
  const sizedTmpfs = trial.exitCode === 0;
  if (!sizedTmpfs && /--size/.test(trial.output)) trial = await trialWith(undefined);
  if (trial.exitCode === 0) {
    const passed = { ok: true as const, path: bwrap, sizedTmpfs, version: /bubblewrap\s+(\S+)/.exec(version.output)?.[1] ?? version.output.trim() };
    if (cacheFile) writeCachedProbe(cacheFile, passed);
    return passed;
  }
  if (trial.timedOut) return classifyBwrapFailure(null, `bwrap did not finish within ${timeoutMs} ms`);
  return classifyBwrapFailure(trial.exitCode, trial.output);
}

/**
 * Turn a failed trial run (its exit code and output) into a cause and fixes. Exported so each
 * known message of bwrap can be tested without a machine that produces it.
 */
export function classifyBwrapFailure(exitCode: number | null, output: string): BwrapProbeResult & { ok: false } {
  const message = firstLine(output) || `bwrap exited with code ${exitCode} and no message`;
  if (exitCode === 127 && /failed to start/.test(output)) return notInstalled(message);
  if (NAMESPACE_REFUSED.some((re) => re.test(output))) {
    return {
      ok: false,
      problem: 'namespaces-refused',
      cause: `this system does not allow unprivileged user namespaces (bwrap said: ${message})`,
      fixes: [FIX_USERNS, FIX_NONE],
    };
  }
  if (MOUNT_REFUSED.some((re) => re.test(output))) {
    return {
      ok: false,
      problem: 'mounts-refused',
      cause: `bwrap may not mount or set up namespaces here, probably inside a restricted container (bwrap said: ${message})`,
      fixes: [FIX_CONTAINER, FIX_USERNS, FIX_NONE],
    };
  }
  return { ok: false, problem: 'other', cause: `bwrap failed its trial run (${message})`, fixes: [FIX_INSTALL, FIX_USERNS, FIX_NONE] };
}

/** Installing is not always the end of it: Ubuntu 24.04 then refuses the namespaces, hence the second fix. */
function notInstalled(cause: string): BwrapProbeResult & { ok: false } {
  return { ok: false, problem: 'not-installed', cause, fixes: [FIX_INSTALL, FIX_USERNS, FIX_NONE] };
}

function firstLine(output: string): string {
  return output.split('\n').map((line) => line.trim()).find(Boolean) ?? '';
}

