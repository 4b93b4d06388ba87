// Where sprout's own package is installed: the directory of its package.json, found by walking up
// from this file. Files of the package (the built CLI, scripts run inside the sandbox) are named from
// it, not relative to the importing module, because the CLI bundle moves code into chunks/ at
// another depth than tsc's output (and vitest runs the sources, at yet another).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'sprout-agent';
const MAX_DEPTH = 6; // dist/src/cli/chunks/x.js is the deepest place this file's code runs from

let found: { root: string; version: string } | undefined;

function find(): { root: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < MAX_DEPTH; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME) return { root: dir, version: pkg.version ?? '0.0.0' };
    }
    dir = dirname(dir);
  }
  throw new Error(`cannot find ${PACKAGE_NAME}'s package.json above ${fileURLToPath(import.meta.url)}`);
}

/** The package's directory (no trailing slash). */
export function packageRoot(): string {
  found ??= find();
  return found.root;
}

/** The package's version, from its package.json. */
export function packageVersion(): string {
  found ??= find();
  return found.version;
}

/** A file of the built package: `packageFile('dist', 'sandbox', 'x.js')`. */
export function packageFile(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
