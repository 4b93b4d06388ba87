// Fetching one URL on the host for sprout itself (an image an issue links to): the URL is the issue
// author's, so it gets the egress proxy's checks (an allowed name, resolved here, never a loopback,
// private or link-local address unless networkHostMap says so), no redirects, and a size cap
// enforced while reading.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EgressPolicy } from './egress-policy.js';
import { resolveTarget } from './egress-proxy.js';

const TIMEOUT_MS = 20_000; // one fetch, connect to last byte

/** The body and content type of `url`, or an Error saying why not. */
export async function fetchChecked(url: string, policy: EgressPolicy, maxBytes: number): Promise<{ body: Buffer; type: string }> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`only http and https URLs are fetched, not ${parsed.protocol}`);
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  const target = await resolveTarget(parsed.hostname, port, policy);
  if (!target.ok) throw new Error(`${parsed.hostname} was refused: ${target.reason}`);
  const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.address,
        port: target.port,
        path: `${parsed.pathname}${parsed.search}`,
        headers: { host: parsed.host, 'user-agent': 'sprout' },
        servername: parsed.hostname, // TLS checks the name, though the address was resolved here
        timeout: TIMEOUT_MS,
      },
      (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          res.resume();
          return reject(new Error(`${url} answered ${res.statusCode} (redirects are not followed)`));
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          res.destroy();
          return reject(new Error(`${url} is ${declared} bytes, over the ${maxBytes} allowed`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy();
            reject(new Error(`${url} is over the ${maxBytes} bytes allowed`));
          } else chunks.push(chunk);
        });
        res.on('end', () => resolve({ body: Buffer.concat(chunks), type: String(res.headers['content-type'] ?? '') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url} did not answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}
