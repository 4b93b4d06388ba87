// The egress proxy: an HTTP proxy on a unix socket, in sprout's own process, the sandbox's only way
// out when the network is an allowlist. CONNECT tunnels TLS; absolute-URI requests are forwarded as
// plain HTTP. The proxy resolves names itself and connects to the address it checked (so a name
// cannot be re-pointed at a private address between check and connect), and reports every
// connection, allowed or denied, with the bytes it carried.
import { promises as dns } from 'node:dns';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { domainAllowed, type EgressPolicy, isForbiddenAddress } from './egress-policy.js';

/** One connection the proxy decided on. */
export interface EgressRecord {
  host: string;
  port: number;
  verdict: 'allowed' | 'denied';
  /** Bytes carried both ways (0 when denied). */
  bytes: number;
  /** Why it was denied. */
  reason?: string;
}

export interface EgressProxy {
  socketPath: string;
  /** Hosts that were refused, once each, in order. */
  denied(): string[];
  close(): Promise<void>;
}

type Target = { ok: true; address: string; port: number } | { ok: false; reason: string };

/** Start the proxy listening on `socketPath`; `onRecord` hears of every connection. */
export async function startEgressProxy(policy: EgressPolicy, socketPath: string, onRecord: (record: EgressRecord) => void): Promise<EgressProxy> {
  const denied = new Set<string>();
  const report = (record: EgressRecord): void => {
    if (record.verdict === 'denied') denied.add(record.host);
    onRecord(record);
  };
  const server = createServer((req, res) => void forwardHttp(req, res, policy, report));
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => void tunnel(req, socket, head, policy, report));
  const sockets = new Set<Duplex>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  return {
    socketPath,
    denied: () => [...denied],
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Where a name may be reached, or why not. */
export async function resolveTarget(host: string, port: number, policy: EgressPolicy): Promise<Target> {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = policy.hostMap[name];
  if (mapped !== undefined && domainAllowed(name, policy.allowedDomains)) {
    const [address, mappedPort] = mapped.split(/:(?=\d+$)/);
    return { ok: true, address: address!, port: mappedPort ? Number(mappedPort) : port };
  }
  if (net.isIP(name)) return { ok: false, reason: 'addresses cannot be reached directly, only allowed domain names' };
  if (!domainAllowed(name, policy.allowedDomains)) return { ok: false, reason: 'it is not in allowedDomains' };
  const addresses = await dns.lookup(name, { all: true }).catch(() => []);
  if (addresses.length === 0) return { ok: false, reason: 'the name does not resolve' };
  const bad = addresses.find((a) => isForbiddenAddress(a.address));
  if (bad) return { ok: false, reason: `it resolves to ${bad.address}, a loopback, private or link-local address` };
  return { ok: true, address: addresses[0]!.address, port };
}

/** The text a refused client (and so the model) reads. */
export function deniedMessage(host: string, reason: string): string {
  return `sprout's network allowlist refused ${host}: ${reason}. To allow a domain, add it to "allowedDomains" in your user config or pass --allow-domain ${host}.\n`;
}

async function tunnel(req: IncomingMessage, client: Duplex, head: Buffer, policy: EgressPolicy, report: (r: EgressRecord) => void): Promise<void> {
  const { host, port } = splitAuthority(req.url ?? '', 443);
  const target = await resolveTarget(host, port, policy);
  if (!target.ok) {
    const body = deniedMessage(host, target.reason);
    client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    report({ host, port, verdict: 'denied', bytes: 0, reason: target.reason });
    return;
  }
  const upstream = net.connect(target.port, target.address);
  let bytes = 0;
  const done = once(() => report({ host, port, verdict: 'allowed', bytes }));
  upstream.on('connect', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  client.on('data', (chunk: Buffer) => (bytes += chunk.length));
  upstream.on('data', (chunk: Buffer) => (bytes += chunk.length));
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('close', () => {
    client.destroy();
    done();
  });
}

async function forwardHttp(req: IncomingMessage, res: ServerResponse, policy: EgressPolicy, report: (r: EgressRecord) => void): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '');
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('sprout egress proxy: requests must use an absolute http:// URL\n');
    return;
  }
  const host = url.hostname;
  const port = Number(url.port || 80);
  const target = url.protocol === 'http:' ? await resolveTarget(host, port, policy) : ({ ok: false, reason: `${url.protocol} is not proxied as plain HTTP` } as const);
  if (!target.ok) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end(deniedMessage(host, target.reason));
    report({ host, port, verdict: 'denied', bytes: 0, reason: target.reason });
    return;
  }
  let bytes = 0;
  const headers = { ...req.headers };
  delete headers['proxy-connection'];
  delete headers['proxy-authorization'];
  const upstream = httpRequest({ host: target.address, port: target.port, method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.on('data', (chunk: Buffer) => (bytes += chunk.length));
    answer.pipe(res);
    answer.on('end', () => report({ host, port, verdict: 'allowed', bytes }));
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`sprout egress proxy: ${host} failed: ${error.message}\n`);
    report({ host, port, verdict: 'allowed', bytes });
  });
  req.on('data', (chunk: Buffer) => (bytes += chunk.length));
  req.pipe(upstream);
}

function splitAuthority(authority: string, defaultPort: number): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  return { host: (match?.[1] ?? authority).replace(/^\[|\]$/g, ''), port: match?.[2] ? Number(match[2]) : defaultPort };
}

function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (!called) {
      called = true;
      fn();
    }
  };
}
