// Which connections the egress proxy lets out: names on the allowlist (exact, or `*.suffix` for its
// subdomains), never to loopback, link-local or private addresses unless the user's networkHostMap
// sends a name there on purpose (for tests and local mirrors).
import { BlockList, isIP } from 'node:net';

/** What the user (and, narrowing it, the repository) allows. */
export interface EgressPolicy {
  allowedDomains: readonly string[];
  /** Name -> `address:port` (or `address`) to connect that name to, bypassing DNS and the address check. */
  hostMap: Readonly<Record<string, string>>;
}

/** Named sets of domains: `@npm` in allowedDomains stands for these. */
export const DOMAIN_PRESETS: Readonly<Record<string, readonly string[]>> = {
  '@npm': ['registry.npmjs.org', 'registry.yarnpkg.com'],
  '@pypi': ['pypi.org', 'files.pythonhosted.org'],
  '@crates': ['crates.io', 'index.crates.io', 'static.crates.io'],
  '@go': ['proxy.golang.org', 'sum.golang.org', 'storage.googleapis.com'],
  '@github': ['github.com', '*.github.com', '*.githubusercontent.com'],
};

/** The list with presets replaced by their domains, lower-cased, once each. */
export function expandDomains(domains: readonly string[]): string[] {
  const expanded = domains.flatMap((d) => DOMAIN_PRESETS[d.toLowerCase()] ?? [d]);
  return [...new Set(expanded.map((d) => d.toLowerCase()))];
}

/** True when `host` is on the list: an exact entry, a subdomain of a `*.suffix` entry, or any name for `*`. */
export function domainAllowed(host: string, allowed: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((entry) => entry === '*' || (entry.startsWith('*.') ? name.endsWith(entry.slice(1)) && name.length > entry.length - 1 : name === entry));
}

const FORBIDDEN = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  FORBIDDEN.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) FORBIDDEN.addSubnet(net, prefix, 'ipv6');

/** Loopback, private, link-local, multicast and unspecified addresses (IPv4-mapped IPv6 included). */
export function isForbiddenAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return FORBIDDEN.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
