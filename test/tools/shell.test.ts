// The shell tool: exit codes, timeouts and output caps as the model sees them; no secrets inside.
import { describe, expect, it } from 'vitest';
import { createHostSandbox } from '../../sandbox/host.js';
import { tempDir } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

describe('shell', () => {
  it('reports the exit code with stdout and stderr together', async () => {
    const { call } = await toolHarness(tempDir());
    const ok = await call('shell', { command: 'echo out; echo err >&2' });
    expect(ok).toMatchObject({ ok: true, output: 'exit code 0\nout\nerr' });
    const failed = await call('shell', { command: 'echo oops; exit 3' });
    expect(failed).toMatchObject({ ok: false, output: 'Error: exit code 3\noops' });
  });

  it('kills a command at its timeout and says so', async () => {
    const { call } = await toolHarness(tempDir());
    const started = Date.now();
    const result = await call('shell', { command: 'sleep 30', timeout_seconds: 1 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('timed out after 1 s and was killed');
  });

  it('cuts long output in the middle and says how much was cut', async () => {
    const { call } = await toolHarness(tempDir(), { outputLimitBytes: 4096 });
    const result = await call('shell', { command: 'seq 1 100000' });
    expect(Buffer.byteLength(result.output)).toBeLessThan(4096 + 200);
    expect(result.output).toMatch(/^\[output cut: 588895 bytes in total, \d+ of them \(\d+ lines\) captured; showing its start and its end, \d+ bytes cut from the middle\]\nexit code 0\n1\n2\n/);
    expect(result.output).toMatch(/\[\.\.\. \d+ bytes \(\d+ lines\) cut from the middle of this output \.\.\.\]/);
    expect(result.output.trimEnd().endsWith('100000')).toBe(true);
  });

  it('does not pass API keys or tokens to the command', async () => {
    const root = tempDir();
    const sandbox = await createHostSandbox({
      root,
      hostEnv: { PATH: process.env.PATH, SPROUT_API_KEY: 'sk-live-123', ARK_API_KEY: 'ark-456', GITHUB_TOKEN: 'ghp-789' },
    });
    const { call } = await toolHarness(root, { sandbox });
    const result = await call('shell', { command: 'env' });
    expect(result.ok).toBe(true);
    expect(result.output).not.toMatch(/sk-live-123|ark-456|ghp-789/);
  });
});
