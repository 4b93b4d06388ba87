// What goes over the wire: the request fields sprout sends, a prompt prefix that stays byte-identical
// from turn to turn (so the provider's cache keeps hitting), and thinking switched per model.
import { describe, expect, it } from 'vitest';
import type { FakeModelServer, ScriptStep } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

const run = (server: FakeModelServer, repo: string, args: string[]) =>
  runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, ...args, 'task'], { env: { SPROUT_API_KEY: 'k' } });

describe('requests', () => {
  it('stream with usage, send max_tokens only, and keep tools and the earlier messages byte-identical', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const turns: ScriptStep[] = Array.from({ length: 29 }, (_, i) => ({
      content: `step ${i}`,
      toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt', offset: 1, limit: i + 1 } }],
    }));
    const server = await startServer({ script: [...turns, { content: 'done' }] });
    const result = await run(server, repo, []);
    expect(result.code, result.stderr).toBe(0);
    server.assertDone();

    const bodies = server.requests.map((r) => r.body);
    expect(bodies).toHaveLength(30);
    for (const body of bodies) {
      expect(body).toMatchObject({ model: 'doubao-seed-code', stream: true, stream_options: { include_usage: true }, tool_choice: 'auto' });
      expect(body.max_tokens).toBeGreaterThan(4096);
      expect(body).not.toHaveProperty('max_completion_tokens');
    }
    for (let i = 1; i < bodies.length; i++) {
      expect(JSON.stringify(bodies[i]!.tools)).toBe(JSON.stringify(bodies[0]!.tools));
      const before = JSON.stringify(bodies[i - 1]!.messages);
      expect(JSON.stringify(bodies[i]!.messages).startsWith(before.slice(0, -1))).toBe(true);
      // The raw body carries the earlier messages verbatim too.
      expect(server.requests[i]!.rawBody).toContain(before.slice(1, -1));
    }

    // The fake server caches the longest shared prefix: a stable prefix makes most input cached.
    const prompt = server.requests.reduce((n, r) => n + r.usage!.prompt_tokens, 0);
    const cached = server.requests.reduce((n, r) => n + r.usage!.prompt_tokens_details.cached_tokens, 0);
    expect(cached / prompt).toBeGreaterThanOrEqual(0.9);
    const byHand = server.requests.reduce((sum, r) => {
      const u = r.usage!;
      const c = u.prompt_tokens_details.cached_tokens;
      return sum + ((u.prompt_tokens - c) * 1.2 + c * 0.24 + u.completion_tokens * 8) / 1e6; // all in the first tier
    }, 0);
    expect((result.events.at(-1)!.cost as { amount: number }).amount).toBeCloseTo(byHand, 12);
    // What the cache saved: every cached token at the input price instead of the cache price.
    expect((result.events.at(-1)!.cost as { saved_by_cache: number }).saved_by_cache).toBeCloseTo((cached * (1.2 - 0.24)) / 1e6, 12);
    expect(result.events.at(-1)!.usage).toMatchObject({ prompt_tokens: prompt, cached_tokens: cached });
  });

  it('switches thinking the way each model takes it', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const server = await startServer({ script: [{ content: 'a' }, { content: 'b' }, { content: 'c' }, { content: 'd' }] });
    await run(server, repo, ['--reasoning-effort', 'high']);
    await run(server, repo, ['--reasoning-effort', 'off']);
    await run(server, repo, ['-m', 'doubao-seed-2-0-code', '--reasoning-effort', 'medium']);
    const warned = await run(server, repo, ['-m', 'doubao-1.5-pro-32k', '--reasoning-effort', 'low']);
    const bodies = server.requests.map((r) => r.body);
    expect(bodies[0]).toMatchObject({ thinking: { type: 'enabled' } });
    expect(bodies[1]).toMatchObject({ thinking: { type: 'disabled' } });
    expect(bodies[2]).toMatchObject({ reasoning_effort: 'medium' });
    expect(bodies[2]).not.toHaveProperty('thinking');
    expect(bodies[3]).not.toHaveProperty('thinking');
    expect(bodies[3]).not.toHaveProperty('reasoning_effort');
    expect(warned.events.find((e) => e.type === 'warning')?.message).toContain('has no thinking control');
  });
});
