// What a batch shows while it runs: without a terminal, periodic progress lines with the currency
// from the start; in a terminal (tmux), a bar and each running task's turn and cost, redrawn in place.
import { describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { CLI, cliEnv, runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { startPane } from '../helpers/tmux.js';

const startServer = fakeServerPerTest();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two packages; each task reads a file (first answer held 2.5 s) and then stops. */
async function slowBatch() {
  const repo = tempRepo({ 'packages/a/x.txt': 'a\n', 'packages/b/x.txt': 'b\n' });
  const server = await startServer({
    script: [(req) => ((req.body.messages ?? []).some((m) => m.role === 'tool') ? { content: 'done' } : { delayMs: 2500, toolCalls: [{ name: 'read_file', arguments: { path: 'x.txt' } }] })],
    repeatLast: true,
  });
  const args = ['batch', '--dirs', 'packages/*', '--prompt', 'read x', '--concurrency', '1', '--sandbox', 'none', '--no-verify', '--base-url', server.url];
  return { repo, args };
}

describe('batch progress', { timeout: 120_000 }, () => {
  it('without a terminal, writes a progress line every --progress-every seconds, in the currency from the start', async () => {
    const { repo, args } = await slowBatch();
    const run = await runCli([...args, '--progress-every', '1'], { cwd: repo, env: { SPROUT_API_KEY: 'k' } });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n');
    const progress = lines.filter((l) => l.startsWith('sprout batch dirs ['));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    // Before the first task finished, the cost already had its currency.
    const firstEnd = lines.findIndex((l) => /^a: success/.test(l));
    expect(lines.slice(0, firstEnd).some((l) => /^sprout batch dirs \[[░▒]+\] 0\/2 · 0 done · 0 failed · 1 running · 0\.\d{4} CNY/.test(l))).toBe(true);
    // After it, an ETA from its duration.
    expect(lines.slice(firstEnd).some((l) => /1\/2 .* · ETA \d/.test(l))).toBe(true);
    expect(run.stderr).not.toMatch(/\u001b/);
  });

  it('in a terminal, shows a bar and each running task with its turn and cost', async () => {
    const { repo, args } = await slowBatch();
    const env = { ...cliEnv({ SPROUT_API_KEY: 'k', TERM: 'xterm-256color' }), NO_COLOR: undefined };
    const pane = startPane(['sh', '-c', `cd '${repo}' && exec "$@"`, 'sh', process.execPath, CLI, ...args], env);
    try {
      const screens: string[] = [];
      for (let i = 0; i < 600 && !pane.exited(); i++) {
        screens.push(pane.screen());
        await sleep(100);
      }
      screens.push(pane.screen());
      expect(screens.some((s) => /sprout batch dirs \[[█░▒]+\] [01]\/2 .* 1 running · 0\.\d{4} CNY/.test(s))).toBe(true);
      expect(screens.some((s) => /▸ [ab] · turn [01] · 0\.\d{4} CNY · \d/.test(s))).toBe(true);
      const last = screens.at(-1)!;
      expect(last).toMatch(/sprout batch dirs \[█+\] 2\/2 · 2 done/);
      expect(last).not.toContain('▸ ');
    } finally {
      pane.close();
    }
  });
});
