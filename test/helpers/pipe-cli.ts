// Running the built CLI with its stdout going into a pipe whose reader leaves early, as in
// `sprout models --json | head -1`: through a real shell pipeline, or with the reader already gone.
import { spawn } from 'node:child_process';
import { CLI, cliEnv } from './run-cli.js';

export interface PipedResult {
  /** sprout's own exit code (not head's), and the signal that ended it, if any. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the reader printed: the first line for `head -1`, nothing for a closed pipe. */
  stdout: string;
  stderr: string;
}

/**
 * `reader: 'head -1'` runs `sprout ARGS | head -1` in bash and reports sprout's exit code;
 * `reader: 'closed'` closes the read end before sprout writes anything.
 */
export function runIntoPipe(
  args: string[],
  reader: 'head -1' | 'head' | 'closed',
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<PipedResult> {
  const env = cliEnv(options.env);
  const child =
    reader === 'closed'
      ? spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('bash', ['-c', `"$@" | ${reader}; exit "\${PIPESTATUS[0]}"`, 'bash', process.execPath, CLI, ...args], {
          cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'],
        });
  if (reader === 'closed') child.stdout.destroy();
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
