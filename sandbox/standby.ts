// Sandboxed calls' containers, set up before their calls. Setting one up costs more than the command
// it runs often does: a fork of the runtime (a few ms), moving the process into its call's cgroup
// (on cgroup v1 that waits for a kernel RCU grace period, 5-15 ms once the host has been idle), and
// bwrap's namespaces and mounts. So while the model is thinking the backend prepares the next calls'
// containers: each joins a fresh cgroup of its own, gets its layout on fd 3 (`bwrap --args 3`), sets
// it up, and its shell waits on fd 4 for the call: the working directory and the command.
//
// The layout is built from the host facts of that moment (bwrap-host.ts). A call uses a prepared
// container only when the facts it reads just before it are the same, `.git` included down to its
// inode (a `git init`, or a `.git` replaced by an earlier call, makes them differ); otherwise the
// container is dropped and one is set up for the call from its own facts, as without preparation.
//
// The call arrives as `cwd NUL form NUL command`, then a random end mark only this container knows:
// if sprout dies while writing, the shell finds no mark and runs nothing.
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { CallCgroup, CallLimits } from './cgroup.js';
import { createCallCgroup, joinCgroupFirst } from './cgroup.js';
import type { CgroupHost } from './cgroup-host.js';
import { startProcess, type StartedProcess } from './exec.js';

/** The host facts a layout was built from, and a stamp that differs whenever they do. */
export interface LayoutFacts<F> {
  facts: F;
  stamp: string;
}

/** What every container of one sandbox shares. */
export interface StandbySpec<F> {
  bwrap: string;
  /** bwrap flags given on its command line (namespaces, privileges), besides the layout. */
  flags: readonly string[];
  /** The layout's bwrap options for these facts. */
  layout(facts: F): string[];
  /** The shell commands run before the call's command (ulimits); each must succeed. */
  limits: readonly string[];
  env: Record<string, string>;
  /** Where bwrap itself starts (the sandbox root). */
  cwd: string;
  cgroups: CgroupHost;
  callLimits: CallLimits;
}

/** A container set up (or being set up) for one call, in its call's cgroup. */
export interface Standby<F> {
  process: StartedProcess;
  cgroup: CallCgroup | undefined;
  built: LayoutFacts<F>;
  /** Hand the call over; resolves once bwrap has the whole layout (never before). */
  send(cwd: string, command: string): Promise<void>;
}

/** The variable holding the end mark; never taken from the host. */
const END_VAR = 'SPROUT_CALL_END';
const FAILED = "{ echo 'sprout: the call arrived incomplete; nothing was run' >&2; exit 125; }";

/**
 * Commands up to this many bytes are read by the shell's own `read` (a byte at a time on a pipe, about
 * 0.4 us each); longer ones through `cat`, a fork that costs a millisecond or two whatever the size.
 */
const SHORT_COMMAND_BYTES = 4096;

/**
 * The shell inside: read the call whole from fd 4, close it, set the limits, then run the command in
 * this same shell with `eval`: exec'ing a fresh bash for it costs another program start (a
 * millisecond or two here) on every call. The command finds none of these variables set, no
 * positional parameters and `$0` bash, as in `bash -c`; `set -e` in it applies as there too, since
 * the eval stands alone rather than at the end of an `&&` list.
 */
export function standbyScript(limits: readonly string[]): string {
  const end = `"$${END_VAR}"`;
  const short = `IFS= read -r -d '' c <&4 && { IFS= read -r e <&4; [[ $e == ${end} ]]; }`;
  const long = `c=$(cat <&4) && [[ $c == *$'\n'${end} ]] && c=\${c%$'\n'${end}}`;
  return [
    `IFS= read -r -d '' d <&4 && IFS= read -r -d '' f <&4 && if [[ $f == short ]]; then ${short}; else ${long}; fi || ${FAILED}`,
    `exec 4<&-`,
    `unset ${END_VAR} e f`,
    'cd -- "$d" || exit 125',
    ...(limits.length > 0 ? [`{ ${limits.join(' && ')}; } || exit 125`] : []),
    'unset d',
    'eval "unset c; $c"',
  ].join('; ');
}

/** The call as the shell reads it: working directory, form, command and end mark. */
function callMessage(cwd: string, command: string, end: string): Buffer {
  if (cwd.includes('\0') || command.includes('\0')) throw new NulByteError();
  const short = Buffer.byteLength(command) <= SHORT_COMMAND_BYTES;
  return Buffer.from(short ? `${cwd}\0short\0${command}\0${end}` : `${cwd}\0long\0${command}\n${end}`);
}

/** Start setting up a container for `built`: its cgroup first, then bwrap inside it. */
export function startStandby<F>(spec: StandbySpec<F>, built: LayoutFacts<F>): Standby<F> {
  const cgroup = createCallCgroup(spec.cgroups, spec.callLimits);
  const end = randomBytes(16).toString('hex');
  const argv = ['--args', '3', ...spec.flags, '--', 'bash', '-c', standbyScript(spec.limits), 'bash'];
  const launch = joinCgroupFirst(cgroup, spec.bwrap, argv);
  const process = startProcess(launch.file, launch.args, { cwd: spec.cwd, env: { ...spec.env, [END_VAR]: end }, inputs: 2 });
  const [layoutFd, callFd] = process.inputs;
  const layoutGiven = handOver(layoutFd, entries(spec.layout(built.facts)));
  return {
    process,
    cgroup,
    built,
    async send(cwd, command) {
      const call = callMessage(cwd, command, end);
      await layoutGiven;
      callFd?.end(call);
    },
  };
}

/** Write `data` and close; resolves once it is all written, or the reader is gone (its exit then says so). */
function handOver(stream: Writable | undefined, data: Buffer): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    for (const event of ['finish', 'error', 'close']) stream.once(event, () => resolve());
    stream.end(data);
  });
}

/** A command with a NUL byte: no shell command can hold one, and it would end the call's text early. */
export class NulByteError extends Error {
  constructor() {
    super('the command contains a NUL byte, which no shell command can hold; remove it and run it again');
    this.name = 'NulByteError';
  }
}

/** NUL-separated entries for `--args`; an entry holding a NUL could smuggle in options of its own. */
function entries(args: readonly string[]): Buffer {
  if (args.some((arg) => arg.includes('\0'))) throw new NulByteError();
  return Buffer.from(`${args.join('\0')}\0`);
}

/**
 * Containers ready for the next calls; a call finding none that fits starts one for itself. `warm`
 * starts the first ones; after that the ones taken are replaced when `refill` says so, and never
 * while a call is on its way to take one.
 */
export class StandbyPool<F> {
  private readonly ready: Array<Standby<F>> = [];
  private readonly releasing = new Set<Promise<void>>();
  private wanted = 0;
  private preparing = 0;
  private refillWanted = false;
  private closed = false;

  /** `latest`: the newest host facts known, which new containers are built from. */
  constructor(
    private readonly spec: StandbySpec<F>,
    private latest: LayoutFacts<F>,
  ) {}

  /** Have `count` containers set up, the first one started now. */
  warm(count: number): void {
    this.wanted = Math.max(this.wanted, count);
    this.fill();
  }

  /** A call is on its way to `take`; pair with `started` once it has sent its command (or gave up). */
  prepare(): void {
    this.preparing++;
  }

  started(): void {
    if (--this.preparing === 0 && this.refillWanted) setImmediate(() => this.fill());
  }

  /** A container built from facts equal to `now`, still waiting; else one started now from `now`. */
  take(now: LayoutFacts<F>): Standby<F> {
    this.latest = now;
    for (let standby = this.ready.shift(); standby; standby = this.ready.shift()) {
      if (!standby.process.exited() && standby.built.stamp === now.stamp) return standby;
      this.drop(standby); // the host changed since it was built, or it died waiting
    }
    return startStandby(this.spec, now);
  }

  /**
   * Replace the containers taken, soon. The caller asks once its call has ended or has run a while:
   * setting a container up next to one being set up or torn down slows both down (they share the
   * kernel's mount and namespace locks and RCU grace periods).
   */
  refill(): void {
    this.refillWanted = true;
    setImmediate(() => this.fill());
  }

  /** Stop every container not taken and remove its cgroup. */
  async close(): Promise<void> {
    this.closed = true;
    for (const standby of this.ready.splice(0)) this.drop(standby);
    await Promise.all(this.releasing);
  }

  private drop(standby: Standby<F>): void {
    const done: Promise<void> = release(standby).finally(() => this.releasing.delete(done));
    this.releasing.add(done);
  }

  /**
   * Start one container, and the next one on a later turn of the event loop: a start forks the
   * runtime on the main thread, and one at a time they fill its idle moments instead of stalling it.
   * A start that fails (no cgroup could be made) is left for `take`, which reports why.
   */
  private fill(): void {
    if (this.preparing === 0) this.refillWanted = false;
    if (this.closed || this.preparing > 0 || this.ready.length >= this.wanted) return;
    try {
      this.ready.push(startStandby(this.spec, this.latest));
    } catch {
      return;
    }
    if (this.ready.length < this.wanted) setImmediate(() => this.fill());
  }
}

/**
 * Kill a container whose call never came, and remove its cgroup. Both at once: a bwrap killed while
 * it starts its sandbox can leave that sandbox behind (it is not yet tied to bwrap's life), holding
 * the output pipes; emptying the cgroup ends it too.
 */
export async function release(standby: Standby<unknown> | undefined): Promise<void> {
  if (!standby) return;
  await Promise.all([standby.process.discard(), standby.cgroup?.remove()]);
}
