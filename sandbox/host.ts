// The host backend (`--sandbox none`): files and processes on the real machine, with paths confined
// to the working directory and a scrubbed environment, but no namespace or file-system isolation.
// Commands can still reach anything the user can; use the bwrap backend for real confinement.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildToolEnv } from './env.js';
import { runProcess } from './exec.js';
import { InvalidPathError, resolveInside } from './paths.js';
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
}

/** One command still running, so close() can stop it and wait for its cleanup. */
interface Running {
  controller: AbortController;
  done: Promise<ExecResult>;
}

/** Create the host backend rooted at `options.root`. Throws when the root is not an existing directory. */
export async function createHostSandbox(options: HostSandboxOptions): Promise<Sandbox> {
  const root = await realDirectory(options.root);
  const hostEnv = options.hostEnv ?? process.env;
  const env = buildToolEnv(hostEnv, {
    allow: options.envAllow ?? [],
    home: options.home ?? hostEnv.HOME ?? os.homedir(),
  });
  const running = new Set<Running>();
  let closed = false;

  const resolvePath = (requested: string): Promise<string> => resolveInside(root, requested);

  return {
    kind: 'host',
    root,
    resolvePath,

    async readFile(requested) {
      return fs.readFile(await resolvePath(requested));
    },

    async writeFile(requested, data) {
      const target = await resolvePath(requested);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, data);
    },

    async exists(requested) {
      const target = await resolvePath(requested);
      try {
        await fs.stat(target);
        return true;
      } catch {
        return false;
      }
    },

    async exec(command: string, execOptions: ExecOptions): Promise<ExecResult> {
      if (closed) throw new Error('the sandbox is closed; create a new one to run more commands');
      const cwd = await workingDirectory(root, execOptions.cwd);
      const controller = new AbortController();
      const signal = execOptions.signal ? AbortSignal.any([execOptions.signal, controller.signal]) : controller.signal;
      const done = runProcess('bash', ['-c', command], {
        cwd,
        env,
        timeoutMs: execOptions.timeoutMs,
        signal,
        maxOutputBytes: execOptions.maxOutputBytes,
      });
      const entry: Running = { controller, done };
      running.add(entry);
      try {
        return await done;
      } finally {
        running.delete(entry);
      }
    },

    async close() {
      closed = true;
      const pending = [...running];
      for (const entry of pending) entry.controller.abort();
      await Promise.allSettled(pending.map((entry) => entry.done));
    },
  };
}

/** Real path of an existing directory, or an Error that says what to fix. */
async function realDirectory(dir: string): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`working directory ${JSON.stringify(dir)} cannot be used (${code}); pass an existing directory`, {
      cause: error,
    });
  }
  if (!(await fs.stat(real)).isDirectory()) {
    throw new Error(`working directory ${JSON.stringify(dir)} is not a directory; pass an existing directory`);
  }
  return real;
}

/** The confined cwd of a command; checked here because a missing cwd makes spawn report a misleading ENOENT for bash. */
async function workingDirectory(root: string, requested: string | undefined): Promise<string> {
  if (requested === undefined) return root;
  const cwd = await resolveInside(root, requested);
  const stat = await fs.stat(cwd).catch(() => undefined);
  if (!stat?.isDirectory()) throw new InvalidPathError(requested, 'the working directory does not exist or is not a directory');
  return cwd;
}
