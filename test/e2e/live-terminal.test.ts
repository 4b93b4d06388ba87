// What a person sees in a terminal: a spinner with the phase and elapsed time while the model is
// slow, a line for a running tool call before it ends, and plain output with NO_COLOR or in a pipe.
// A real pseudo-terminal (tmux) runs the built CLI against the fake model server.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { CLI, cliEnv, runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { type Pane, startPane } from '../helpers/tmux.js';

const startServer = fakeServerPerTest();
let pane: Pane | undefined;
afterEach(() => pane?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Braille spinner frames (ora's default) and escape codes.
const SPINNER = /[\u2800-\u28ff]/;
const ESC = /\u001b/;

/** Sample the screen until the program exits; returns every distinct screen, in order, with when it was seen. */
async function watch(p: Pane, timeoutMs: number): Promise<Array<{ at: number; text: string }>> {
  const seen: Array<{ at: number; text: string }> = [];
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const text = p.screen();
    if (seen.at(-1)?.text !== text) seen.push({ at: Date.now(), text });
    if (p.exited()) return seen;
    await sleep(100);
  }
  throw new Error(`the run did not end within ${timeoutMs} ms; last screen:\n${seen.at(-1)?.text}`);
}

// Each case waits for a whole run in a real terminal: more than the default 30 s on a loaded machine.
describe('the terminal view', { timeout: 90_000 }, () => {
  it('in a terminal, a slow model shows a moving spinner and a 2 s tool call shows a started line before it ends', async () => {
    const repo = tempRepo({ 'README.md': 'fixture\n' });
    let toolSentAt = 0;
    const server = await startServer({
      script: [
        { delayMs: 3000, toolCalls: [{ name: 'shell', arguments: { command: 'sleep 2; echo slept' } }] },
        () => {
          toolSentAt = Date.now();
          return { content: 'done sleeping' };
        },
      ],
    });
    const env = { ...cliEnv({ SPROUT_API_KEY: 'k', TERM: 'xterm-256color' }), NO_COLOR: undefined };
    pane = startPane([process.execPath, CLI, 'run', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'sleep'], env);
    const screens = await watch(pane, 60_000);
    server.assertDone();

    const waiting = screens.filter((s) => s.text.includes('waiting for the model'));
    // The model took 3 s: the spinner and the clock moved meanwhile.
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    expect(waiting.some((s) => /turn 1 · waiting for the model · [12]\.\d s/.test(s.text))).toBe(true);
    const started = screens.findIndex((s) => s.text.includes('▸ shell sleep 2; echo slept'));
    const ended = screens.findIndex((s) => /✓ shell sleep 2; echo slept \(2\.\d s\)/.test(s.text));
    expect(started).toBeGreaterThanOrEqual(0);
    expect(ended).toBeGreaterThan(started);
    expect(screens[started]!.at).toBeLessThan(toolSentAt);
    const last = screens.at(-1)!.text;
    expect(last).toContain('done sleeping');
    expect(last).toMatch(/success after 2 turns/);
    // The live lines are gone at the end: only the completed line stays.
    expect(last).not.toContain('▸ shell');
    expect(pane.raw()).toMatch(ESC);
  });

  it('with NO_COLOR a terminal gets plain text: no escape codes, no spinner', async () => {
    const repo = tempRepo({ 'README.md': 'fixture\n' });
    const server = await startServer({
      script: [{ delayMs: 1500, toolCalls: [{ name: 'shell', arguments: { command: 'echo hi' } }] }, { content: 'all done' }],
    });
    const env = cliEnv({ SPROUT_API_KEY: 'k', TERM: 'xterm-256color', NO_COLOR: '1' });
    pane = startPane([process.execPath, CLI, 'run', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'say hi'], env);
    const screens = await watch(pane, 60_000);
    server.assertDone();
    expect(screens.at(-1)!.text).toContain('✓ shell echo hi');
    const raw = pane.raw();
    expect(raw).toContain('all done');
    expect(raw).not.toMatch(ESC);
    expect(raw).not.toMatch(SPINNER);
  });

  it('piped output has no spinner frames and shows the first line of a failure reason that starts on line two', async () => {
    const repo = tempRepo({ 'README.md': 'fixture\n' });
    const server = await startServer({
      script: [{ delayMs: 1500, toolCalls: [{ name: 'shell', arguments: { command: 42 } }] }, { content: 'ok' }],
    });
    const run = await runCli(['run', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'x'], {
      env: { SPROUT_API_KEY: 'k', NO_COLOR: undefined, TERM: 'xterm-256color' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(SPINNER);
    expect(run.stderr).not.toMatch(ESC);
    expect(run.stderr).toMatch(/✗ shell \(\d+ ms\) — Error: invalid arguments for shell: - command: .*expected string/i);
  });
});
