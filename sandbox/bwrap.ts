// The bwrap backend, the default on Linux: every command runs in a fresh bubblewrap container with a
// read-only host, a read-write working directory, a read-only `.git`, an empty HOME and /tmp, no
// network unless asked, and its own pid namespace, so nothing it starts outlives it. Each call's
// process tree is bounded too: a cgroup per call where the host allows one (cgroup.ts), ulimits, and
// a size-limited /tmp, so a fork bomb or a memory bomb ends with its call. Containers are set up
// ahead of their calls while the model thinks, each used once and only when the host facts it was
// built from still hold (standby.ts). File tools run on the host with the same path confinement as
// the host backend. See bwrap-args.ts for the mount layout and why.
import { promises as fs } from 'node:fs';
import { buildBwrapArgs, type HostFacts, isolationArgs } from './bwrap-args.js';
import { describeToolchains, hiddenPathNote, hostToolchains } from './toolchain-mounts.js';
import { factsStamp, inspectHost } from './bwrap-host.js';
import { probeBwrap } from './bwrap-probe.js';
import { confinedFiles, realDirectory, realPathsOf, workingDirectory } from './confined-files.js';
import { detectCgroups } from './cgroup-host.js';
import { type CallLimits, sweepStaleCgroups } from './cgroup.js';
import { buildToolEnv } from './env.js';
import { notStarted, watchProcess } from './exec.js';
import { type LayoutFacts, NulByteError, type Standby, StandbyPool } from './standby.js';
import { createExecTracker } from './exec-tracker.js';
import { SandboxUnavailableError, type ExecOptions, type ExecResult, type Sandbox } from './types.js';

/** Options of createBwrapSandbox. */
export interface BwrapSandboxOptions {
  /** The working directory; must exist. Its real path becomes the sandbox root, mounted read-write. */
  root: string;
  /** Let commands use the host's network (default: a private loopback only). */
  network?: boolean;
  /** Extra environment variable names to pass to commands, by exact name (may include secret-looking ones). */
  envAllow?: string[];
  /** The environment to scrub; defaults to process.env. Its PATH finds bwrap and its HOME is the home to hide. */
  hostEnv?: NodeJS.ProcessEnv;
  /** Extra host paths commands may write (e.g. a package cache); each must exist. */
  readWrite?: string[];
  /** Extra host paths commands may read even where they would be hidden (e.g. a tool under $HOME); each must exist. */
  readOnly?: string[];
  /** Directories outside the root that file tools may read by absolute path (not mounted for commands). */
  readRoots?: string[];
  /** Cap on each process's writable memory (RLIMIT_DATA), in MiB; off by default. */
  memoryLimitMb?: number;
  /** Cap on each process's CPU time (RLIMIT_CPU), in seconds; off by default. */
  cpuLimitSeconds?: number;
  /** Processes alive at once in one call (the call's cgroup, else RLIMIT_NPROC); default DEFAULT_PROCESS_LIMIT. */
  processLimit?: number;
  /** Size of each call's /tmp in MiB, lowered to memoryLimitMb when that is smaller; default DEFAULT_TMP_MB. */
  tmpLimitMb?: number;
  /** Where a passed bwrap probe is remembered across runs (see bwrap-probe-cache.ts); none by default. */
  probeCacheFile?: string;
}

/** Processes per call when the caller names no limit: enough for parallel builds, not for a fork bomb. */
export const DEFAULT_PROCESS_LIMIT = 512;

/** Size of a call's /tmp when the caller names none, in MiB. */
export const DEFAULT_TMP_MB = 1024;

/** HOME inside the sandbox: an empty directory in the per-command /tmp, so nothing of the user's home is there and nothing persists. */
export const SANDBOX_HOME = '/tmp/home';

/** Processes kept started ahead of calls once the loop says calls may come (`warm`): one turn's worth of parallel calls. */
export const STANDBY_PROCESSES = 4;

/** How long a call runs before its container's replacement is set up beside it rather than after it. */
const REFILL_AFTER_MS = 30;

/** Names below the root that commands and file tools may read but not write. */
const READ_ONLY_NAMES = ['.git'];

/**
 * Create the bwrap backend rooted at `options.root`. Probes bwrap first and throws
 * SandboxUnavailableError, naming the cause and the fixes, when it cannot confine commands here;
 * never falls back to running them unconfined.
 */
export async function createBwrapSandbox(options: BwrapSandboxOptions): Promise<Sandbox> {
  const hostEnv = options.hostEnv ?? process.env;
  const probe = await probeBwrap({ searchPath: hostEnv.PATH ?? '', cacheFile: options.probeCacheFile });
  if (!probe.ok) throw new SandboxUnavailableError(probe.cause, probe.fixes);
  const bwrap = probe.path;

  const root = await realDirectory(options.root);
  if (root === '/') throw new Error('the working directory is /, which would make the whole machine writable; pass a project directory');
  const realHome = hostEnv.HOME ? await fs.realpath(hostEnv.HOME).catch(() => undefined) : undefined;
  const readWrite = await realPaths(options.readWrite ?? [], 'readWrite');
  const readOnly = await realPaths(options.readOnly ?? [], 'readOnly');
  const { limits, tmpBytes, callLimits } = containment(options, probe.sizedTmpfs);
  const cgroups = await detectCgroups();
  void sweepStaleCgroups(cgroups); // off the way: litter of runs killed with kill -9
  const env = buildToolEnv(hostEnv, { allow: options.envAllow ?? [], home: SANDBOX_HOME });
  // The host's TMPDIR (a runner's temp dir, a macOS-style per-user one) is hidden or read-only in here.
  env.TMPDIR = '/tmp';
  const tracker = createExecTracker();
  // PATH entries in places the layout hides get their toolchain mounted read-only.
  const toolchains = await hostToolchains(env.PATH ?? '', realHome);
  // Everything a call's container needs besides the host facts is fixed here, for the whole sandbox.
  const network = options.network ?? false;
  const layout = { root, home: SANDBOX_HOME, network, readWrite, readOnly, realHome, tmpBytes, toolchains };
  const inspect = (): LayoutFacts<HostFacts> => {
    const facts = inspectHost(root, realHome);
    return { facts, stamp: factsStamp(facts) };
  };
  const standbys = new StandbyPool<HostFacts>(
    { bwrap, flags: isolationArgs(network), layout: (facts) => buildBwrapArgs(layout, facts), limits, env, cwd: root, cgroups, callLimits },
    inspect(),
  );

  /** Hand this call to a container built from the host as it is now: from here on the call runs. */
  const begin = async (command: string, cwdOption: string | undefined): Promise<{ standby: Standby<HostFacts>; facts: HostFacts }> => {
    standbys.prepare();
    try {
      const cwd = await workingDirectory(root, cwdOption);
      // Read now, for this call: a command before it may have made or replaced a `.git`.
      const now = inspect();
      if (command.includes('\0')) throw new NulByteError(); // before a container is taken, so none is lost
      const standby = standbys.take(now);
      await standby.send(cwd, command);
      return { standby, facts: now.facts };
    } finally {
      standbys.started();
    }
  };

  /**
   * Once a call's process has exited: remove its cgroup, then have its container replaced; a call
   * that ended by itself does not wait for this (close() does).
   */
  const cleanups = new Set<Promise<void>>();
  const afterCall = (standby: Standby<HostFacts>, refill: NodeJS.Timeout): Promise<void> => {
    const done: Promise<void> = Promise.resolve(standby.cgroup?.remove()).finally(() => {
      clearTimeout(refill);
      standbys.refill();
      cleanups.delete(done);
    });
    cleanups.add(done);
    return done;
  };

  return {
    kind: 'bwrap',
    root,
    toolchains: describeToolchains(toolchains),
    ...confinedFiles(root, { readOnly: READ_ONLY_NAMES, readRoots: await realPathsOf(options.readRoots) }),

    exec(command: string, execOptions: ExecOptions): Promise<ExecResult> {
      return tracker.run(execOptions.signal, async (signal) => {
        if (signal.aborted) return notStarted(performance.now());
        const { standby, facts } = await begin(command, execOptions.cwd);
        // Its replacement is set up once this call has ended, or has run for a while (a long command).
        const refill = setTimeout(() => standbys.refill(), REFILL_AFTER_MS);
        // Nothing outlives the call: bwrap exits when bash does (or when watchProcess kills its group
        // on timeout or abort), --die-with-parent then kills the sandbox's init, and the kernel kills
        // every process of a pid namespace whose init dies, setsid'd and double-forked ones included.
        // Without --die-with-parent that init lingers with any background child (checked in bubblewrap 0.8).
        let result: ExecResult;
        let killed = true;
        try {
          result = await watchProcess(standby.process, { timeoutMs: execOptions.timeoutMs, signal, maxOutputBytes: execOptions.maxOutputBytes });
          killed = result.timedOut || result.aborted || result.signal !== null;
        } finally {
          const cleanup = afterCall(standby, refill);
          // bwrap exits by itself only once the sandbox's init, and so all of it, is gone; a call
          // whose bwrap was killed (timeout, abort) may still be dying: the cgroup's removal waits.
          if (killed) await cleanup;
        }
        // "not found" for something the host has: say which hidden place it is in.
        const note = result.exitCode !== 0 ? await hiddenPathNote(result.output, env.PATH ?? '', [...facts.hiddenDirectories, '/tmp'], toolchains) : undefined;
        return note ? { ...result, output: `${result.output.replace(/\n?$/, '\n')}${note}\n` } : result;
      });
    },

    warm: () => standbys.warm(STANDBY_PROCESSES),

    async close() {
      await tracker.close();
      await Promise.all(cleanups);
      await standbys.close();
    },
  };
}

/** Real paths of configured extra mounts; a missing one is a configuration error, named, not skipped. */
async function realPaths(paths: readonly string[], field: string): Promise<string[]> {
  return Promise.all(
    paths.map(async (p) => {
      try {
        return await fs.realpath(p);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        throw new Error(`sandbox ${field} path ${JSON.stringify(p)} cannot be used (${code}); create it or remove it from the configuration`, {
          cause: error,
        });
      }
    }),
  );
}

/** Every bound on one call: ulimits for its shell, the size of its /tmp, and its cgroup's limits. */
function containment(options: BwrapSandboxOptions, sizedTmpfs: boolean): { limits: string[]; tmpBytes?: number; callLimits: CallLimits } {
  const processLimit = positiveInteger(options.processLimit ?? DEFAULT_PROCESS_LIMIT, 'processLimit');
  const memoryMb = options.memoryLimitMb === undefined ? undefined : positiveInteger(options.memoryLimitMb, 'memoryLimitMb');
  // /tmp is RAM, counted in the call's memory cgroup: half of the memory limit at most, so filling it
  // is a clear "No space left on device" rather than the writer killed for lack of memory.
  const tmpMb = Math.min(positiveInteger(options.tmpLimitMb ?? DEFAULT_TMP_MB, 'tmpLimitMb'), Math.ceil((memoryMb ?? Infinity) / 2));
  return {
    limits: limitCommands(memoryMb, options.cpuLimitSeconds, processLimit),
    tmpBytes: sizedTmpfs ? tmpMb * 1024 * 1024 : undefined,
    callLimits: { processes: processLimit, memoryBytes: memoryMb === undefined ? undefined : memoryMb * 1024 * 1024 },
  };
}

/**
 * `ulimit` commands for the configured limits. RLIMIT_DATA rather than RLIMIT_AS for memory: V8
 * reserves far more address space than it uses, so node (and npm test) dies at start under an
 * address-space limit of under about 1 GiB, while RLIMIT_DATA counts only writable memory.
 * Setting soft and hard limits together means a command cannot raise them again.
 */
function limitCommands(memoryLimitMb: number | undefined, cpuLimitSeconds: number | undefined, processLimit: number): string[] {
  // RLIMIT_NPROC counts per user namespace (Linux 5.14+), so inside a fresh bwrap it bounds this call
  // alone; root is exempt from it, which is why the call's cgroup comes first where there is one.
  const commands: string[] = [`ulimit -S -H -u ${processLimit}`];
  if (memoryLimitMb !== undefined) commands.push(`ulimit -S -H -d ${positiveInteger(memoryLimitMb, 'memoryLimitMb') * 1024}`);
  if (cpuLimitSeconds !== undefined) commands.push(`ulimit -S -H -t ${positiveInteger(cpuLimitSeconds, 'cpuLimitSeconds')}`);
  return commands;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`sandbox ${name} must be a positive whole number, got ${value}`);
  return value;
}
