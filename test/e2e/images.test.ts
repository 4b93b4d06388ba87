// Images for UI bugs: --image and images an issue links to reach a vision model as image_url parts,
// shrunk to the provider's pixel limit; a text-only model gets a note; view_image shows a file.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { FakeModelServer } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();
const ARK_MAX_PIXELS = 4_014_080;

const png = (width: number, height: number): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();

type Part = { type: string; text?: string; image_url?: { url: string } };
const imageParts = (content: unknown): Part[] => (Array.isArray(content) ? (content as Part[]).filter((p) => p.type === 'image_url') : []);
const dimensions = async (url: string) => sharp(Buffer.from(url.split(',')[1]!, 'base64')).metadata();
const toolNames = (server: FakeModelServer) => (server.requests[0]!.body.tools ?? []).map((t) => (t as { function: { name: string } }).function.name);

async function issueWithImages(): Promise<{ repo: string; issue: string; shot: string }> {
  const repo = tempRepo({ 'index.html': '<button>Save</button>\n' });
  writeFileSync(join(repo, 'bug.png'), await png(3000, 2000));
  const issue = join(tempDir(), 'issue.md');
  writeFileSync(issue, '# The save button is red\n\nSee ![screenshot](bug.png) and ![remote](https://example.invalid/x.png).\n');
  const shot = join(tempDir(), 'design.png');
  writeFileSync(shot, await png(400, 300));
  return { repo, issue, shot };
}

const runIssue = (server: FakeModelServer, repo: string, issue: string, shot: string, model: string) =>
  runCli(['run', '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url, '-C', repo, '-m', model, '--issue', issue, '--image', shot], {
    env: { SPROUT_API_KEY: 'k' },
  });

/** A server on 127.0.0.1 serving `png` at /bug.png. */
async function imageServer(png: Buffer): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/bug.png') res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('images', () => {
  it('attaches --image and issue-linked images as data URLs within the pixel limit for seed-code', async () => {
    const { repo, issue, shot } = await issueWithImages();
    const server = await startServer({ script: [{ toolCalls: [{ name: 'write_file', arguments: { path: 'index.html', content: '<button>Ok</button>\n' } }] }, { content: 'done' }] });
    const result = await runIssue(server, repo, issue, shot, 'doubao-seed-code');
    expect(result.code, result.stderr).toBe(0);
    const user = server.requests[0]!.body.messages![1]!;
    const images = imageParts(user.content);
    expect(images).toHaveLength(2);
    for (const part of images) expect(part.image_url!.url).toMatch(/^data:image\/png;base64,/);
    const [design, bug] = await Promise.all(images.map((p) => dimensions(p.image_url!.url)));
    expect([design!.width, design!.height]).toEqual([400, 300]);
    expect(bug!.width! * bug!.height!).toBeLessThanOrEqual(ARK_MAX_PIXELS);
    expect(bug!.width! * bug!.height!).toBeGreaterThan(ARK_MAX_PIXELS * 0.95);
    expect(toolNames(server)).toContain('view_image');
  });

  it('sends a text note instead of images to doubao-1.5-pro-32k, and no view_image tool', async () => {
    const { repo, issue, shot } = await issueWithImages();
    const server = await startServer({ script: [{ toolCalls: [{ name: 'write_file', arguments: { path: 'index.html', content: 'x\n' } }] }, { content: 'done' }] });
    const result = await runIssue(server, repo, issue, shot, 'doubao-1.5-pro-32k');
    expect(result.code, result.stderr).toBe(0);
    const user = server.requests[0]!.body.messages![1]!;
    expect(typeof user.content).toBe('string');
    expect(user.content).toContain('3 image(s) came with this task but were left out: doubao-1.5-pro-32k does not take images');
    expect(toolNames(server)).not.toContain('view_image');
  });

  it('fetches an image URL in the issue when the run may use the network, never from a private address', async () => {
    const web = await imageServer(await png(320, 200));
    try {
      const repo = tempRepo({ 'index.html': '<button>Save</button>\n' });
      const issue = join(tempDir(), 'issue.md');
      writeFileSync(issue, `# Red button\n\n![mapped](http://images.test/bug.png) ![direct](http://127.0.0.1:${web.port}/bug.png)\n`);
      const server = await startServer({ script: [{ toolCalls: [{ name: 'write_file', arguments: { path: 'index.html', content: 'x\n' } }] }, { content: 'done' }] });
      const env = { SPROUT_API_KEY: 'k', ...userConfigEnv({ networkHostMap: { 'images.test': `127.0.0.1:${web.port}` } }) };
      const args = ['run', '--json', '--sandbox', 'none', '--no-verify', '--base-url', server.url, '-C', repo, '--issue', issue];
      const result = await runCli(args, { env });
      expect(result.code, result.stderr).toBe(0);
      const images = imageParts(server.requests[0]!.body.messages![1]!.content);
      expect(images).toHaveLength(1);
      expect((await dimensions(images[0]!.image_url!.url)).width).toBe(320);
      expect(web.hits).toEqual(['/bug.png']);
      expect(result.events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining('127.0.0.1 was refused') }));

      // In the bwrap sandbox without network, no URL is fetched at all.
      const offline = await runCli(['run', '--json', '--no-verify', '--base-url', server.url, '-C', repo, '--issue', issue], { env });
      expect(web.hits).toEqual(['/bug.png']);
      expect(offline.events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining('was not fetched: the run has no network access') }));
    } finally {
      await web.close();
    }
  });

  it('view_image shows a png to the model after the tool results, and refuses a text file', async () => {
    const repo = tempRepo({ 'notes.txt': 'not an image\n' });
    writeFileSync(join(repo, 'page.png'), await png(64, 48));
    const server = await startServer({
      script: [
        { toolCalls: [{ name: 'view_image', arguments: { path: 'page.png' } }, { name: 'view_image', arguments: { path: 'notes.txt' } }] },
        { content: 'done' },
      ],
    });
    const result = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'look'], { env: { SPROUT_API_KEY: 'k' } });
    expect(result.code, result.stderr).toBe(0);
    // Results arrive as calls finish; the model gets them back in its own order.
    const results = result.events.filter((e) => e.type === 'tool_result');
    expect(results.find((e) => e.ok)).toMatchObject({ output: expect.stringContaining('64x48') });
    expect(results.find((e) => !e.ok)).toMatchObject({ output: expect.stringContaining('not a png, jpeg, webp or gif image') });
    const messages = server.requests[1]!.body.messages!;
    const roles = messages.map((m) => m.role);
    expect(roles.slice(-3)).toEqual(['tool', 'tool', 'user']);
    const shown = imageParts(messages.at(-1)!.content);
    expect(shown).toHaveLength(1);
    expect((await dimensions(shown[0]!.image_url!.url)).width).toBe(64);
  });
});
