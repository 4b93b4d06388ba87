// Network by allowlist, in the real bwrap sandbox: npm install from an allowed (locally mapped)
// registry works through sprout's proxy; every other host, direct connections and private
// addresses are refused and reported; a repository can only narrow the list; nothing is left behind.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { type LocalServer, startFakeRegistry, startTextServer } from '../helpers/fake-registry.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startModel = fakeServerPerTest();
const servers: LocalServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function world(): Promise<{ registry: LocalServer; other: LocalServer; env: Record<string, string> }> {
  const registry = await startFakeRegistry('tiny-dep', 'registry.test');
  const other = await startTextServer('OTHER SERVER BODY');
  servers.push(registry, other);
  const env = {
    SPROUT_API_KEY: 'k',
    ...userConfigEnv({
      network: 'allowlist',
      allowedDomains: ['registry.test'],
      networkHostMap: { 'registry.test': `127.0.0.1:${registry.port}`, 'other.test': `127.0.0.1:${other.port}` },
    }),
  };
  return { registry, other, env };
}

const shell = (command: string) => ({ name: 'shell', arguments: { command, timeout_seconds: 60 } });
const outputs = (events: Array<Record<string, unknown>>) => events.filter((e) => e.type === 'tool_result').map((e) => String(e.output));

describe('network allowlist', () => {
  it('lets npm install from an allowed registry and refuses other hosts, direct connections and private addresses', async () => {
    const { registry, other, env } = await world();
    const repo = tempRepo({ 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }) });
    const model = await startModel({
      script: [
        { toolCalls: [shell('npm install tiny-dep --registry http://registry.test/ --no-audit --no-fund --loglevel=error && node -e "console.log(require(\'tiny-dep\'))"')] },
        { toolCalls: [shell('curl -s http://other.test/')] },
        { toolCalls: [shell(`curl -s -m 5 http://127.0.0.1:${other.port}/ || echo "direct connection failed: $?"`)] },
        { toolCalls: [shell(`curl -s -m 5 --noproxy '' -x http://127.0.0.1:39871 http://127.0.0.1:${other.port}/`)] },
        { content: 'done' },
      ],
    });
    const result = await runCli(['run', '--json', '--base-url', model.url, '-C', repo, 'add tiny-dep'], { env, timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const [install, denied, direct, byAddress] = outputs(result.events);
    expect(install).toContain('from the fake registry');
    expect(registry.hits).toContain('/tiny-dep/-/tiny-dep-1.0.0.tgz');
    expect(denied).toContain("sprout's network allowlist refused other.test: it is not in allowedDomains");
    expect(denied).toContain('--allow-domain other.test');
    expect(direct).toContain('direct connection failed');
    expect(byAddress).toContain('addresses cannot be reached directly');
    expect(other.hits).toEqual([]);

    const network = result.events.filter((e) => e.type === 'network');
    expect(network).toContainEqual(expect.objectContaining({ host: 'registry.test', verdict: 'allowed', bytes: expect.any(Number) }));
    expect(network).toContainEqual(expect.objectContaining({ host: 'other.test', verdict: 'denied' }));
    expect(result.events.at(-1)).toMatchObject({ type: 'result', denied_hosts: ['other.test', '127.0.0.1'] });
    expect(result.events[0]).toMatchObject({ type: 'session', allowed_domains: ['registry.test'] });
  });

  it("ignores a repository's added domain and applies its narrowing", async () => {
    const { other, env } = await world();
    const repo = tempRepo({ 'a.txt': 'a\n' });
    mkdirSync(join(repo, '.sprout'));
    writeFileSync(join(repo, '.sprout', 'config.json'), JSON.stringify({ allowedDomains: ['other.test'] }));
    const model = await startModel({ script: [{ toolCalls: [shell('curl -s http://other.test/; curl -s http://registry.test/tiny-dep')] }, { content: 'done' }] });
    const result = await runCli(['run', '--json', '--base-url', model.url, '-C', repo, 'look'], { env });
    expect(result.code, result.stderr).toBe(0);
    const [output] = outputs(result.events);
    expect(output).toContain('refused other.test');
    expect(output).toContain('refused registry.test');
    expect(other.hits).toEqual([]);
  });

  it('sprout doctor checks that the proxy path works', async () => {
    const { env } = await world();
    const result = await runCli(['doctor', '--offline'], { env, cwd: tempRepo({ 'a.txt': 'a\n' }) });
    expect(result.stdout).toContain('✓ network allowlist: the proxy path works');
  });

  it.each([['SIGINT'], ['SIGKILL']] as const)('leaves no proxy or forwarder after %s', async (signal) => {
    const { env } = await world();
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const model = await startModel({ script: [{ toolCalls: [shell('sleep 30')] }, { content: 'done' }] });
    let socket: string | undefined;
    const result = await runCli(['run', '--json', '--base-url', model.url, '-C', repo, 'wait'], {
      env,
      onLine: (line, child) => {
        if (!line.includes('"type":"tool_call"')) return;
        socket = findSocket();
        setTimeout(() => child.kill(signal), 500);
      },
    });
    expect(result.signal ?? result.code).toBe(signal === 'SIGKILL' ? 'SIGKILL' : 130);
    expect(socket).toBeDefined();
    expect(await accepts(socket!)).toBe(false);
    // The kernel ends the sandbox's processes once its init is gone; give it a moment after a kill -9.
    const end = Date.now() + 5000;
    while (forwarders().length > 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(forwarders()).toEqual([]);
  });
});

/** The newest egress socket in the temp directory. */
function findSocket(): string | undefined {
  const tmp = process.env.TMPDIR ?? '/tmp';
  const sockets = readdirSync(tmp).filter((d) => d.startsWith('sprout-egress-')).map((d) => join(tmp, d, 'proxy.sock')).filter((p) => existsSync(p));
  return sockets.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const client = net.connect(path, () => {
      client.destroy();
      resolve(true);
    });
    client.on('error', () => resolve(false));
  });
}

function forwarders(): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('egress-forwarder.js');
    } catch {
      return false;
    }
  }).map(Number);
}
