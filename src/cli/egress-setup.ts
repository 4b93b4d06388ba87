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
import { PROXY_PORT } from '../../sandbox/egress.js';
import { createSandbox } from './sandbox-choice.js';

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

/**
 * For `sprout doctor`: run a command in a bwrap sandbox that asks the proxy for a host no list
 * allows; the proxy's 403 coming back shows the socket mount, the forwarder and the proxy all work.
 */
export async function egressDoctorCheck(config: Config, cwd: string, env: NodeJS.ProcessEnv): Promise<{ name: string; ok: boolean; detail: string }> {
  const probeConfig: Config = { ...config, network: 'allowlist', allowedDomains: [], networkHostMap: {} };
  const egress = (await startEgress(probeConfig, () => undefined))!;
  try {
    const sandbox = await createSandbox({ ...probeConfig, sandbox: 'bwrap' }, cwd, env, [], egress);
    try {
      const probe = `${JSON.stringify(process.execPath)} -e "require('http').get({host:'127.0.0.1',port:${PROXY_PORT},path:'http://doctor.invalid/'},r=>{console.log(r.statusCode);process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(1)})"`;
      const result = await sandbox.exec(probe, { timeoutMs: 15_000, maxOutputBytes: 4096 });
      const ok = result.output.trim() === '403' && egress.denied().includes('doctor.invalid');
      return { name: 'network allowlist', ok, detail: ok ? 'the proxy path works (a probe host was refused by the proxy, as it should be)' : `the proxy path does not work: ${result.output.trim() || `exit ${result.exitCode}`}` };
    } finally {
      await sandbox.close();
    }
  } catch (error) {
    return { name: 'network allowlist', ok: false, detail: (error as Error).message.split('\n')[0]! };
  } finally {
    await egress.close();
  }
}
