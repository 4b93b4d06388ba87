// Sandboxed calls' first processes, started before their calls. Starting one costs more than the
// command it runs often does: a fork of the runtime (a few ms), and on cgroup v1 moving the process
// into its call's cgroup, which waits for a kernel RCU grace period (5-15 ms once the host has been
// idle). So while the model is thinking the backend starts bwrap for the next calls: each joins a
// fresh cgroup of its own and then blocks reading its arguments on fd 3 (`bwrap --args 3`). When a
// call comes, its layout is computed as before, fresh, and written there; only then does bwrap set
// anything up. What is fixed before the call is what is fixed for the whole sandbox: the bwrap binary,
// the environment, the cgroup limits, the namespace flags and the shell that runs the command.
//
// The call's command travels in the arguments too, as a variable bwrap sets (`--setenv`), followed by
// a last variable that says the list is complete: if sprout dies while writing, bwrap reads a cut list
// and the shell inside, finding no end mark, runs nothing.
import type { CallCgroup, CallLimits } from './cgroup.js';
import { createCallCgroup, joinCgroupFirst } from './cgroup.js';
import type { CgroupHost } from './cgroup-host.js';
import { startProcess, type StartedProcess } from './exec.js';

/** What every standby of one sandbox shares. */
export interface StandbySpec {
  bwrap: string;
  /** bwrap flags given on its command line (namespaces, privileges): present even if the list on fd 3 is cut. */
  flags: readonly string[];
  /** The shell commands run before the call's command (ulimits); each must succeed. */
  limits: readonly string[];
  env: Record<string, string>;
  /** Where bwrap itself starts (the sandbox root). */
  cwd: string;
  cgroups: CgroupHost;
  callLimits: CallLimits;
}

/** A started bwrap waiting for its call's arguments, in its call's cgroup. */
export interface Standby {
  process: StartedProcess;
  cgroup: CallCgroup | undefined;
}

/** Variable names bwrap sets for the shell inside; never taken from the host. */
const COMMAND_VAR = 'SPROUT_CALL_COMMAND';
const END_VAR = 'SPROUT_CALL_END';

/**
 * Run the call's command after the limits, once the argument list is known to be whole. The command
 * text reaches `bash -c` untouched, and the two variables are gone before it runs.
 */
export function standbyScript(limits: readonly string[]): string {
  const check = `[ "\${${END_VAR}-}" = 1 ] || { echo 'sprout: the sandbox arguments arrived incomplete; nothing was run' >&2; exit 125; }`;
  return [check, `c=$${COMMAND_VAR}`, `unset ${COMMAND_VAR} ${END_VAR}`, [...limits, 'exec bash -c "$c"'].join(' && ')].join('; ');
}

/** Start one standby: its cgroup first, then bwrap inside it, waiting on fd 3. */
export function startStandby(spec: StandbySpec): Standby {
  const cgroup = createCallCgroup(spec.cgroups, spec.callLimits);
  const env = { ...spec.env };
  delete env[COMMAND_VAR];
  delete env[END_VAR];
  const argv = ['--args', '3', ...spec.flags, '--', 'bash', '-c', standbyScript(spec.limits), 'sprout-limits'];
  const launch = joinCgroupFirst(cgroup, spec.bwrap, argv);
  return { process: startProcess(launch.file, launch.args, { cwd: spec.cwd, env, inputPipe: true }), cgroup };
}

/**
 * The list written to a standby's fd 3: the layout's bwrap options, then the command, then the end
 * mark. NUL separates the entries, so an entry holding one could smuggle in options of its own
 * (`--bind / /`): refused, as no command line can carry a NUL byte anyway.
 */
export function standbyInput(layoutArgs: readonly string[], command: string): Buffer {
  const entries = [...layoutArgs, '--setenv', COMMAND_VAR, command, '--setenv', END_VAR, '1'];
  if (entries.some((entry) => entry.includes('\0'))) throw new Error('the command contains a NUL byte, which no shell command can hold; remove it and run it again');
  return Buffer.from(`${entries.join('\0')}\0`);
}

/**
 * Standbys ready for the next calls; a call finding none starts one for itself. `warm` starts the
 * first ones; after that each one taken is replaced once every call on its way has written its
 * arguments, so the replacements start while the commands run instead of delaying the calls or the
 * next request.
 */
export class StandbyPool {
  private readonly ready: Standby[] = [];
  private wanted = 0;
  private preparing = 0;
  private closed = false;

  constructor(private readonly spec: StandbySpec) {}

  /**
   * Have `count` standbys ready, started now (synchronously, so before whatever the caller does
   * next, such as sending the request the model thinks about).
   */
  warm(count: number): void {
    this.wanted = Math.max(this.wanted, count);
    this.fill();
  }

  /** A call is on its way to `take`; pair with `started` once its arguments are written (or it gave up). */
  prepare(): void {
    this.preparing++;
  }

  started(): void {
    if (--this.preparing === 0) setImmediate(() => this.fill());
  }

  /** A standby for a call now: a ready one still alive, else a fresh one. */
  async take(): Promise<Standby> {
    for (let standby = this.ready.shift(); standby; standby = this.ready.shift()) {
      if (!standby.process.exited()) return standby;
      await release(standby); // it died waiting (a cgroup join refused): a fresh start says why
    }
    return startStandby(this.spec);
  }

  /** Stop every standby not taken and remove its cgroup. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.ready.splice(0).map(release));
  }

  /** A start that fails (no cgroup could be made) is left for `take`, which reports why. */
  private fill(): void {
    while (!this.closed && this.preparing === 0 && this.ready.length < this.wanted) {
      try {
        this.ready.push(startStandby(this.spec));
      } catch {
        return;
      }
    }
  }
}

/** Kill a standby whose call never came, and remove its cgroup. */
export async function release(standby: Standby | undefined): Promise<void> {
  if (!standby) return;
  await standby.process.discard();
  await standby.cgroup?.remove();
}
