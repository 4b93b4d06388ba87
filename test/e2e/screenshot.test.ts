// The screenshot tool in the real bwrap sandbox: a page served by a command the tool starts is
// rendered in headless Chromium, a non-blank PNG reaches the model, and the server is gone after.
import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();
const PAGE = '<!doctype html><html><body style="margin:0;background:rgb(10,120,200)"><h1 style="color:white">Checkout</h1><div style="height:3000px"></div></body></html>\n';

type Part = { type: string; image_url?: { url: string } };
const lastImage = (messages: Array<{ role: string; content?: unknown }>) =>
  ((messages.at(-1)!.content as Part[]).find((p) => p.type === 'image_url')!.image_url!.url);
const decode = (url: string) => sharp(Buffer.from(url.split(',')[1]!, 'base64'));

/** Processes whose command line mentions `needle`. */
function processesMentioning(needle: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false;
    }
  }).map(Number);
}

describe('screenshot', () => {
  it('captures a page served by a command it starts inside the sandbox, and stops the server', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const repo = tempRepo({ 'index.html': PAGE });
    const server = await startServer({
      script: [
        { toolCalls: [{ name: 'screenshot', arguments: { target: `http://127.0.0.1:${port}/index.html`, server_command: `python3 -m http.server ${port} --bind 127.0.0.1`, width: 800, height: 600 } }] },
        { toolCalls: [{ name: 'screenshot', arguments: { target: 'index.html', width: 640, height: 480, full_page: true } }] },
        { content: 'done' },
      ],
    });
    const result = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'look at the page'], { env: { SPROUT_API_KEY: 'k' }, timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const results = result.events.filter((e) => e.type === 'tool_result');
    expect(results[0], JSON.stringify(results[0])).toMatchObject({ ok: true, output: expect.stringContaining('800x600') });
    expect(processesMentioning(`http.server ${port}`)).toEqual([]);

    const served = decode(lastImage(server.requests[1]!.body.messages!));
    const stats = await served.stats();
    // The page's blue background dominates, and the white heading makes it more than one colour.
    expect(stats.dominant.b).toBeGreaterThan(150);
    expect(stats.channels[0]!.max - stats.channels[0]!.min).toBeGreaterThan(100);

    // A file in the working directory, the whole scrollable page.
    expect(results[1]).toMatchObject({ ok: true });
    const full = await decode(lastImage(server.requests[2]!.body.messages!)).metadata();
    expect(full.width).toBe(640);
    expect(full.height).toBeGreaterThan(3000);
  });

  it('refuses a page that is not on the loopback address', async () => {
    const repo = tempRepo({ 'index.html': PAGE });
    const server = await startServer({ script: [{ toolCalls: [{ name: 'screenshot', arguments: { target: 'http://example.invalid/' } }] }, { content: 'done' }] });
    const result = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'look'], { env: { SPROUT_API_KEY: 'k' } });
    const results = result.events.filter((e) => e.type === 'tool_result');
    expect(results[0]).toMatchObject({ ok: false, output: expect.stringContaining('only pages on 127.0.0.1 or localhost') });
  });
});
