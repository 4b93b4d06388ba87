// The closest-text search after a miss is bounded: on a 200,000-line file edit_file and apply_patch
// answer within a second with the near-miss, and the event loop keeps running meanwhile (a timer set
// at the same moment fires on time), so timeouts, the stream watchdog and SIGINT are never held up.
import { describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../helpers/temp-repo.js';
import { toolHarness } from '../helpers/tools.js';

// Distinct, code-like lines, so that every line is a plausible candidate.
const BIG = Array.from({ length: 200_000 }, (_, i) => `  let v${i} = f(${i}, "k${i % 977}") + o${i % 31};`).join('\n') + '\n';

/** Run `call` while a 100 ms timer is pending; how late the timer fired and how long the call took. */
async function timed<T>(call: () => Promise<T>): Promise<{ result: T; elapsedMs: number; timerLateMs: number }> {
  const started = performance.now();
  let firedAt = Number.POSITIVE_INFINITY;
  const timer = new Promise<void>((resolve) => setTimeout(() => ((firedAt = performance.now()), resolve()), 100));
  const result = await call();
  const elapsedMs = performance.now() - started;
  await timer;
  return { result, elapsedMs, timerLateMs: firedAt - started - 100 };
}

describe('closest-text search on a 200,000-line file', () => {
  it('edit_file: a miss answers in under 1 s with the near line, and a concurrent 100 ms timer fires on time', async () => {
    const root = tempDir();
    writeFiles(root, { 'big.js': BIG });
    const { call } = await toolHarness(root);
    const { result, elapsedMs, timerLateMs } = await timed(() =>
      call('edit_file', { path: 'big.js', old_string: '  let v150123 = f(150123, "k642") + 0_21;', new_string: 'x' }),
    );
    expect(result.ok).toBe(false);
    expect(result.output).toContain('The closest text is near line 150124:');
    expect(elapsedMs).toBeLessThan(1000);
    expect(timerLateMs).toBeLessThan(100);
  });

  it('apply_patch: a hunk that matches nowhere answers in under 1 s, and the timer fires on time', async () => {
    const root = tempDir();
    writeFiles(root, { 'big.js': BIG });
    const { call } = await toolHarness(root);
    const patch = '*** Begin Patch\n*** Update File: big.js\n@@\n-  let v99999 = f(99999, "k345") + 0_24;\n+  let v99999 = 0;\n*** End Patch\n';
    const { result, elapsedMs, timerLateMs } = await timed(() => call('apply_patch', { patch }));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('The closest match is at line 100000:');
    expect(elapsedMs).toBeLessThan(1000);
    expect(timerLateMs).toBeLessThan(100);
  });
});
