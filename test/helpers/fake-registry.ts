// A tiny npm registry on 127.0.0.1 serving one package (metadata and tarball) under a chosen
// registry host name, and a plain HTTP server that names itself: targets for the egress proxy tests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './temp-repo.js';

export interface LocalServer {
  port: number;
  /** Paths requested, in order. */
  hits: string[];
  close(): Promise<void>;
}

/** Serve package `name@1.0.0` as the registry `http://<registryHost>/`. */
export async function startFakeRegistry(name: string, registryHost: string): Promise<LocalServer> {
  const tarball = packTarball(name);
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  const tarballPath = `/${name}/-/${name}-1.0.0.tgz`;
  const packument = {
    name,
    'dist-tags': { latest: '1.0.0' },
    versions: {
      '1.0.0': { name, version: '1.0.0', main: 'index.js', dist: { tarball: `http://${registryHost}${tarballPath}`, integrity, shasum: createHash('sha1').update(tarball).digest('hex') } },
    },
  };
  return listen((path) => {
    if (path === `/${name}`) return { type: 'application/json', body: Buffer.from(JSON.stringify(packument)) };
    if (path === tarballPath) return { type: 'application/octet-stream', body: tarball };
    return undefined;
  });
}

/** A server that answers every request with `text`. */
export function startTextServer(text: string): Promise<LocalServer> {
  return listen(() => ({ type: 'text/plain', body: Buffer.from(text) }));
}

async function listen(answer: (path: string) => { type: string; body: Buffer } | undefined): Promise<LocalServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(path);
    const found = answer(path);
    if (!found) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': found.type, 'content-length': found.body.length }).end(found.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function packTarball(name: string): Buffer {
  const dir = tempDir('sprout-pkg-');
  mkdirSync(join(dir, 'package'));
  writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
  writeFileSync(join(dir, 'package', 'index.js'), "module.exports = 'from the fake registry';\n");
  execFileSync('tar', ['czf', 'pkg.tgz', 'package'], { cwd: dir });
  return readFileSync(join(dir, 'pkg.tgz'));
}
