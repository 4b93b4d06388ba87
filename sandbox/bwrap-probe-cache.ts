// A passed bwrap probe remembered across runs, in a file in the user's state directory. The key is
// what decides the verdict: the bwrap binary (path, size, mtime) and the running kernel. A failed
// probe is never stored, so fixing the machine takes effect on the next run.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname } from 'node:path';

/** A probe that passed: the binary and the version it reported. */
export interface PassedProbe {
  ok: true;
  version: string;
  path: string;
  /** Whether this bwrap takes `--size` for a tmpfs (the sandbox /tmp limit). */
  sizedTmpfs: boolean;
}

/** What a stored verdict must match to be reused. */
function cacheKey(bwrapPath: string): string | undefined {
  try {
    const info = statSync(bwrapPath);
    return JSON.stringify([bwrapPath, info.size, info.mtimeMs, info.ino, release()]);
  } catch {
    return undefined;
  }
}

/** The stored verdict for this binary and kernel, if there is one. */
export function readCachedProbe(file: string, bwrapPath: string): PassedProbe | undefined {
  const key = cacheKey(bwrapPath);
  if (!key) return undefined;
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; version?: unknown; sizedTmpfs?: unknown };
    if (stored.key !== key || typeof stored.version !== 'string' || typeof stored.sizedTmpfs !== 'boolean') return undefined;
    return { ok: true, path: bwrapPath, version: stored.version, sizedTmpfs: stored.sizedTmpfs };
  } catch {
    return undefined; // absent or damaged: probe again
  }
}

/** Remember a passed probe; a write that fails only costs the next run a probe. */
export function writeCachedProbe(file: string, probe: PassedProbe): void {
  const key = cacheKey(probe.path);
  if (!key) return;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Write then rename: a concurrent run reads the old file or the new one, never half of one.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ key, version: probe.version, sizedTmpfs: probe.sizedTmpfs }), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // The state directory may be read-only; the probe's answer stands for this run.
  }
}
