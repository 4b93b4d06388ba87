// Packing sprout with `npm pack` and installing the tarball into a fresh consumer project with `npm ci`,
// offline: the consumer's lockfile is written from sprout's own, so npm takes every package from the
// local cache (filled by sprout's own `npm ci`) and the test never reaches a registry.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-repo.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface LockEntry {
  name?: string;
  version: string;
  integrity?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

export interface Packed {
  tarball: string;
  /** Paths inside the package, e.g. `dist/src/index.js`. */
  files: string[];
}

/** `npm pack` of the working tree into a temp directory. */
export function packSprout(): Packed {
  const dest = tempDir('sprout-pack-');
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: join(dest, info!.filename), files: info!.files.map((f) => f.path) };
}

export interface ConsumerOptions {
  /** Give the consumer its own zod 3 (sprout's zod 4 is then nested under sprout-agent). */
  ownZod3?: boolean;
}

/** A new project with the tarball (and @types/node) installed by `npm ci --offline`. */
export function installConsumer(packed: Packed, options: ConsumerOptions = {}): string {
  const dir = tempDir('sprout-consumer-');
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const ours = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: object };
  const tgz = basename(packed.tarball);
  execFileSync('cp', [packed.tarball, join(dir, tgz)]);
  const dependencies: Record<string, string> = { 'sprout-agent': `file:${tgz}`, '@types/node': lock.packages['node_modules/@types/node']!.version };
  const packages: Record<string, LockEntry> = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !entry.dev) packages[path] = entry;
  }
  for (const name of ['@types/node', 'undici-types']) packages[`node_modules/${name}`] = { ...lock.packages[`node_modules/${name}`]!, dev: undefined };
  packages['node_modules/sprout-agent'] = {
    version: ours.version, resolved: `file:${tgz}`, integrity: `sha512-${createHash('sha512').update(readFileSync(packed.tarball)).digest('base64')}`,
    dependencies: ours.dependencies, bin: ours.bin, engines: ours.engines, license: 'MIT',
  };
  if (options.ownZod3) {
    const zod3 = lock.packages['node_modules/zod3']!;
    packages['node_modules/sprout-agent/node_modules/zod'] = packages['node_modules/zod']!;
    packages['node_modules/zod'] = { ...zod3, name: undefined, dev: undefined };
    dependencies.zod = zod3.version;
  }
  const manifest = { name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const root = { name: 'consumer', version: '1.0.0', dependencies };
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': root, ...packages } }, null, 2));
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, stdio: 'pipe' });
  return dir;
}
