// Picking the sandbox backend the config asks for: bubblewrap by default; `none` runs tools on the
// host and is announced as such. A bwrap that cannot run is an error with fixes, never a fallback.
import type { Config } from '../config/schema.js';
import { SandboxError } from '../errors.js';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import { withEgress } from '../../sandbox/egress.js';
import { createHostSandbox } from '../../sandbox/host.js';
import { findExecutable } from '../../sandbox/find-executable.js';
import { isInside } from '../../sandbox/paths.js';
import { join } from 'node:path';
import { stateDir } from '../session/store.js';
import type { Egress } from './egress-setup.js';
import { SandboxUnavailableError, type Sandbox } from '../../sandbox/types.js';
import { packageRoot } from '../../sandbox/package-root.js';

/**
 * `readRoots`: folders outside cwd that file tools may read (the session's kept outputs). `egress`:
 * the proxy of a network allowlist; commands then reach the network only through it.
 */
export async function createSandbox(config: Config, cwd: string, env: NodeJS.ProcessEnv, readRoots: string[] = [], egress?: Egress): Promise<Sandbox> {
  if (config.sandbox === 'none') {
    if (egress) throw new SandboxError('network "allowlist" needs the bwrap sandbox: without it nothing stops a command from bypassing the proxy; use --sandbox bwrap or --network');
    return createHostSandbox({ root: cwd, envAllow: config.envAllow, hostEnv: env, readRoots });
  }
  try {
    const sandbox = await createBwrapSandbox({
      root: cwd,
      network: config.network === true,
      envAllow: config.envAllow,
      hostEnv: env,
      readWrite: config.sandboxReadWrite,
      readOnly: [...config.sandboxReadOnly, ...ownPackageMount(cwd, env), ...(egress ? [egress.socketDir] : [])],
      memoryLimitMb: config.sandboxMemoryMb,
      cpuLimitSeconds: config.sandboxCpuSeconds,
      processLimit: config.sandboxProcesses,
      tmpLimitMb: config.sandboxTmpMb,
      readRoots,
      probeCacheFile: join(stateDir(env), 'bwrap-probe.json'),
    });
    return egress ? withEgress(sandbox, egress.socketPath) : sandbox;
  } catch (error) {
    if (error instanceof SandboxUnavailableError) throw new SandboxError(error.message, { cause: error });
    throw error;
  }
}

// sprout's own package (dist and node_modules): the screenshot tool runs a script of it inside the
// sandbox. Mounted read-only only where the sandbox would hide it (an install under a home
// directory) and never over the working directory, which must stay writable.
const HIDDEN_PARENTS = ['/root', '/home'];

function ownPackageMount(cwd: string, env: NodeJS.ProcessEnv): string[] {
  const root = packageRoot();
  const hidden = [...HIDDEN_PARENTS, ...(env.HOME ? [env.HOME] : [])].some((dir) => isInside(dir, root));
  return hidden && !isInside(cwd, root) && !isInside(root, cwd) ? [root] : [];
}

/** The system's Chromium, for the screenshot tool; undefined when there is none. */
export async function findChromium(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const path = `${env.PATH ?? ''}:/usr/bin`;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const found = await findExecutable(name, path);
    if (found) return found;
  }
  return undefined;
}

/** Words for the system prompt on where commands run. */
export function describeSandbox(config: Config): string {
  if (config.sandbox === 'none') return 'the host machine, without a sandbox';
  const net =
    config.network === 'allowlist'
      ? `with network access only to ${config.allowedDomains.join(', ') || 'no domain'} (through a proxy; other hosts are refused)`
      : config.network
        ? 'with network access'
        : 'without network access (installs and downloads fail)';
  return `a bubblewrap sandbox ${net}; .git is read-only there, so use the git tool for git writes`;
}

/** What the session event states about the sandbox. */
export function sandboxDetails(config: Config, egress?: Egress): { network: boolean; read_write: string[]; read_only: string[]; allowed_domains?: string[] } {
  return {
    network: config.sandbox === 'none' || config.network === true,
    read_write: config.sandboxReadWrite,
    read_only: config.sandboxReadOnly,
    ...(egress ? { allowed_domains: egress.allowedDomains } : {}),
  };
}
