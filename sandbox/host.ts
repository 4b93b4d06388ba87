// The host backend (`--sandbox none`): files and processes on the real machine, with paths confined
// to the working directory and a scrubbed environment, but no namespace or file-system isolation.
// Commands can still reach anything the user can; use the bwrap backend for real confinement.
import os from 'node:os';
import { confinedFiles, realDirectory, realPathsOf, workingDirectory } from './confined-files.js';
import { buildToolEnv } from './env.js';
import { findExecutable } from './find-executable.js';
import { runProcess } from './exec.js';
import { createExecTracker } from './exec-tracker.js';
import type { ExecOptions, ExecResult, Sandbox } from './types.js';

/** Options of createHostSandbox. */
export interface HostSandboxOptions {
  /** The working directory; must exist. Its real path becomes the sandbox root. */
  root: string;
  /** Extra environment variable names to pass to commands, by exact name (may include secret-looking ones). */
  envAllow?: string[];
  /** HOME for commands; defaults to the real HOME, as this backend does not hide the user's files. */
  home?: string;
  /** The environment to scrub; defaults to process.env. */
  hostEnv?: NodeJS.ProcessEnv;
  /** Directories outside the root that file tools may read by absolute path (see ConfinedFilesOptions). */
  readRoots?: string[];
}

/** Create the host backend rooted at `options.root`. Throws when the root is not an existing directory. */
export async function createHostSandbox(options: HostSandboxOptions): Promise<Sandbox> {
  const root = await realDirectory(options.root);
  const hostEnv = options.hostEnv ?? process.env;
  const env = buildToolEnv(hostEnv, {
    allow: options.envAllow ?? [],
    home: options.home ?? hostEnv.HOME ?? os.homedir(),
  });
  const tracker = createExecTracker();
  // setpriv (util-linux) makes the kernel kill the command's shell if sprout itself is killed (kill -9
  // gives sprout no chance to clean up); its children are not covered: only bwrap's namespace is.
  const setpriv = await findExecutable('setpriv', hostEnv.PATH ?? '');
  const launcher = (command: string): [string, string[]] =>
    setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', 'bash', '-c', command]] : ['bash', ['-c', command]];

  return {
    kind: 'host',
    root,
    // No read-only names: a shell command here could write `.git` anyway, so refusing only the file tools would be theatre.
    ...confinedFiles(root, { readRoots: await realPathsOf(options.readRoots) }),

    exec(command: string, execOptions: ExecOptions): Promise<ExecResult> {
      return tracker.run(execOptions.signal, async (signal) =>
        runProcess(...launcher(command), {
          cwd: await workingDirectory(root, execOptions.cwd),
          env,
          timeoutMs: execOptions.timeoutMs,
          signal,
          maxOutputBytes: execOptions.maxOutputBytes,
        }),
      );
    },

    close: () => tracker.close(),
  };
}
