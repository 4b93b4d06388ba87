// Picking the sandbox backend the config asks for. bwrap is the default; `none` runs tools on the
// host and is announced as such by the renderers.
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { createHostSandbox } from '../../sandbox/host.js';
import type { Sandbox } from '../../sandbox/types.js';

export async function createSandbox(config: Config, cwd: string, env: NodeJS.ProcessEnv): Promise<Sandbox> {
  if (config.sandbox === 'none') return createHostSandbox({ root: cwd, envAllow: config.envAllow, hostEnv: env });
  throw new ConfigError('the bubblewrap sandbox is not available in this build; pass --sandbox none to run tools on the host');
}

/** Words for the system prompt on where commands run. */
export function describeSandbox(config: Config): string {
  const net = config.network ? 'with network access' : 'without network access';
  return config.sandbox === 'none' ? 'the host machine, without a sandbox' : `a bubblewrap sandbox ${net}`;
}
