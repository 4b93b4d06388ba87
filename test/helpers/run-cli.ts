// Running the real, built `sprout` CLI as a child process, as a user or a CI script would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-repo.js';

export const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** With --json or --output-format json|stream-json: stdout parsed as JSON Lines (the run fails if any line is not JSON). */
  events: Array<Record<string, unknown> & { type: string }>;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdin?: string;
  timeoutMs?: number;
  /** Called with each complete stdout line as it arrives (e.g. to signal the process mid-run). */
  onLine?: (line: string, child: import('node:child_process').ChildProcess) => void;
  /** Start the CLI through a wrapper (e.g. into a test's safety-net cgroup). */
  wrap?: (file: string, args: string[]) => { file: string; args: string[] };
  /** Called once with the child right after it started (e.g. to kill it when a file appears). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

/**
 * The environment a test run gets: no real keys, no user config, no retries, sessions in a fresh
 * state directory (pass XDG_STATE_HOME to share one between runs, e.g. to resume).
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NO_COLOR: '1' };
  // No retries by default: a failed expectation inside a script step answers 500, and retrying that
  // would only slow the failure down. Retry tests set SPROUT_MAX_RETRIES themselves.
  const defaults = { XDG_CONFIG_HOME: '/nonexistent-sprout-test-config', XDG_STATE_HOME: tempDir('sprout-state-'), SPROUT_MAX_RETRIES: '0' };
  return { ...env, ...defaults, ...extra };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const command = options.wrap ? options.wrap(process.execPath, [CLI, ...args]) : { file: process.execPath, args: [CLI, ...args] };
    const child = spawn(command.file, command.args, {
      cwd: options.cwd,
      env: cliEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine?.(line, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        const machine = args.includes('--json') || args.some((a, i) => a === '--output-format' && args[i + 1] !== 'text');
        resolve({ code, signal, stdout, stderr, events: machine ? parseJsonLines(stdout) : [] });
      } catch (error) {
        reject(new Error(`stdout is not JSON Lines: ${(error as Error).message}\n${stdout}\nstderr:\n${stderr}`));
      }
    });
    child.stdin.end(options.stdin ?? '');
  });
}

function parseJsonLines(text: string): CliResult['events'] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CliResult['events'][number]);
}
