// Driving the built CLI against the project's fake model server for the bench: one run = one real
// `sprout run` process (real HTTP/SSE, real sandbox), timed from outside; the server notes when each
// request arrives, so the time to the first request and between requests can be read off.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeModelServer } from '../test/fake-server/index.js';
import type { RecordedRequest, ScriptedTurn } from '../test/fake-server/index.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const KEY = 'sk-bench';

/** What one CLI run gives the bench. */
export interface CliRun {
  wallMs: number;
  /** Milliseconds from spawning the process to each chat request's arrival. */
  arrivalsMs: number[];
  /** The `result` event, and every event. */
  result: Record<string, unknown>;
  events: Array<Record<string, unknown>>;
  /** Peak resident memory of the sprout process, KiB (from /usr/bin/time), when measurable. */
  peakKib: number | undefined;
  requests: RecordedRequest[];
}

/** A model that answers request i with `turn(i, request)`. */
export type BenchModel = (index: number, request: RecordedRequest) => ScriptedTurn;

/** A throwaway git repository with one file. */
export function benchRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sprout-bench-repo-'));
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  return dir;
}

/** The same, as a git repository with one commit: host-side git (door, change tracking, diff stat) is then part of every run. */
export function benchGitRepo(): string {
  const dir = benchRepo();
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'bench');
  return dir;
}

/** Run `sprout run --json` once against a fresh fake server driven by `model`. */
export async function runCli(model: BenchModel, args: string[], options: { repo: string; state: string; measureMemory?: boolean }): Promise<CliRun> {
  const arrivals: number[] = [];
  let started = 0;
  let index = 0;
  const server = await startFakeModelServer({
    apiKey: KEY,
    repeatLast: true,
    script: [(req) => {
      arrivals.push(performance.now() - started);
      return model(index++, req);
    }],
  });
  try {
    const argv = ['run', '--json', '--base-url', server.url, '-C', options.repo, ...args, 'bench task'];
    const command = options.measureMemory ? ['/usr/bin/time', '-f', 'peak_kib=%M', process.execPath, CLI, ...argv] : [process.execPath, CLI, ...argv];
    started = performance.now();
    const { stdout, stderr } = await spawnDone(command, { SPROUT_API_KEY: KEY, XDG_STATE_HOME: options.state });
    const wallMs = performance.now() - started;
    const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const result = lines.findLast((l) => l.type === 'result');
    if (!result || result.status !== 'success') throw new Error(`bench run failed: ${JSON.stringify(result)} ${stderr.slice(-500)}`);
    const peak = /peak_kib=(\d+)/.exec(stderr)?.[1];
    return { wallMs, arrivalsMs: arrivals, result, events: lines, peakKib: peak ? Number(peak) : undefined, requests: server.requests };
  } finally {
    await server.close();
  }
}

function spawnDone(command: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NO_COLOR: '1', XDG_CONFIG_HOME: '/nonexistent-sprout-bench', SPROUT_MAX_RETRIES: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve({ stdout, stderr }));
  });
}

/** A fresh state directory, removed by the returned function. */
export function benchState(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sprout-bench-state-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
