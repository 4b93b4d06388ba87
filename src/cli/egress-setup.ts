// The per-run egress proxy for `network: "allowlist"`: a unix socket in a private temp directory
// (bound into every sandbox call), the policy from the user's config and --allow-domain, and a
// `network` event for every connection. It lives in sprout's process, so it ends with the run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent } from '../agent/events.js';
import type { Config } from '../config/schema.js';
import { expandDomains } from '../../sandbox/egress-policy.js';
import { startEgressProxy } from '../../sandbox/egress-proxy.js';

/** A started proxy: where its socket is, which hosts it refused, and how to stop it. */
export interface Egress {
  socketDir: string;
  socketPath: string;
  allowedDomains: string[];
  denied(): string[];
  close(): Promise<void>;
}

/** Start the proxy when the config asks for an allowlist; undefined otherwise. */
export async function startEgress(config: Config, emit: (event: AgentEvent) => void): Promise<Egress | undefined> {
  if (config.network !== 'allowlist') return undefined;
  const socketDir = await mkdtemp(join(tmpdir(), 'sprout-egress-'));
  const socketPath = join(socketDir, 'proxy.sock');
  const allowedDomains = expandDomains(config.allowedDomains);
  const proxy = await startEgressProxy({ allowedDomains, hostMap: config.networkHostMap }, socketPath, (record) => {
    emit({ type: 'network', ...record });
  });
  return {
    socketDir,
    socketPath,
    allowedDomains,
    denied: () => proxy.denied(),
    close: async () => {
      await proxy.close();
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
