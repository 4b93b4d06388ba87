// Picking the sandbox backend the config asks for: bubblewrap by default; `none` runs tools on the
// host and is announced as such. A bwrap that cannot run is an error with fixes, never a fallback.
import type { Config } from '../config/schema.js';
import { SandboxError } from '../errors.js';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import { withEgress } from '../../sandbox/egress.js';
import { createHostSandbox } from '../../sandbox/host.js';
import type { Egress } from './egress-setup.js';
import { SandboxUnavailableError, type Sandbox } from '../../sandbox/types.js';

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
      readOnly: [...config.sandboxReadOnly, ...(egress ? [egress.socketDir] : [])],
      memoryLimitMb: config.sandboxMemoryMb,
      cpuLimitSeconds: config.sandboxCpuSeconds,
      readRoots,
    });
    return egress ? withEgress(sandbox, egress.socketPath) : sandbox;
  } catch (error) {
    if (error instanceof SandboxUnavailableError) throw new SandboxError(error.message, { cause: error });
    throw error;
  }
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
