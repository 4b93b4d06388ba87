// Picking the sandbox backend the config asks for: bubblewrap by default; `none` runs tools on the
// host and is announced as such. A bwrap that cannot run is an error with fixes, never a fallback.
import type { Config } from '../config/schema.js';
import { SandboxError } from '../errors.js';
import { createBwrapSandbox } from '../../sandbox/bwrap.js';
import { createHostSandbox } from '../../sandbox/host.js';
import { SandboxUnavailableError, type Sandbox } from '../../sandbox/types.js';

/** `readRoots`: folders outside cwd that file tools may read (the session's kept outputs). */
export async function createSandbox(config: Config, cwd: string, env: NodeJS.ProcessEnv, readRoots: string[] = []): Promise<Sandbox> {
  if (config.sandbox === 'none') return createHostSandbox({ root: cwd, envAllow: config.envAllow, hostEnv: env, readRoots });
  try {
    return await createBwrapSandbox({
      root: cwd,
      network: config.network,
      envAllow: config.envAllow,
      hostEnv: env,
      readWrite: config.sandboxReadWrite,
      readOnly: config.sandboxReadOnly,
      memoryLimitMb: config.sandboxMemoryMb,
      cpuLimitSeconds: config.sandboxCpuSeconds,
      processLimit: config.sandboxProcesses,
      tmpLimitMb: config.sandboxTmpMb,
      readRoots,
    });
  } catch (error) {
    if (error instanceof SandboxUnavailableError) throw new SandboxError(error.message, { cause: error });
    throw error;
  }
}

/** Words for the system prompt on where commands run. */
export function describeSandbox(config: Config): string {
  if (config.sandbox === 'none') return 'the host machine, without a sandbox';
  const net = config.network ? 'with network access' : 'without network access (installs and downloads fail)';
  return `a bubblewrap sandbox ${net}; .git is read-only there, so use the git tool for git writes`;
}

/** What the session event states about the sandbox. */
export function sandboxDetails(config: Config): { network: boolean; read_write: string[]; read_only: string[] } {
  return { network: config.sandbox === 'none' || config.network, read_write: config.sandboxReadWrite, read_only: config.sandboxReadOnly };
}
