// A new user's first two steps: on a fresh checkout (no node_modules, no dist), `npm ci` builds the
// package and `npx sprout --help` works. Uses the npm registry, or its local cache when warm.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-repo.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Copy what a clone of the working tree would hold: tracked and untracked, not ignored, files. */
function checkoutCopy(): string {
  const dest = tempDir('sprout-checkout-');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(repoRoot, f)));
  for (const file of files) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(dest, file));
  }
  return dest;
}

it('npm ci on a fresh checkout builds dist/ so that npx sprout --help works', { timeout: 180_000 }, () => {
  const dir = checkoutCopy();
  expect(existsSync(join(dir, 'dist'))).toBe(false);
  execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'pipe' });
  const help = execFileSync('npx', ['--no-install', 'sprout', '--help'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(help).toContain('Usage: sprout');
  expect(help).toContain('run [options] [task]');
});

// npx runs a clone's bin through a link it keeps (keyed by the clone's path) and makes the file
// executable only when it first makes that link: a rebuild that left it 0644 broke `npx sprout`.
it('the build leaves the bin executable, so it runs directly and through a link made before a rebuild', () => {
  const bin = join(repoRoot, 'dist/src/cli/main.js');
  expect(statSync(bin).mode & 0o111).toBe(0o111);
  expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toMatch(/^\d+\.\d+\.\d+\n$/);
});
