// What a run tells the model and the provider besides the task: layered project instructions in the
// system prompt, reasoning echoed back only for the profiles that use it, and ids a user can quote.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeModelServer } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

const run = (server: FakeModelServer, cwd: string, args: string[] = []) =>
  runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', cwd, ...args, 'task'], { env: { SPROUT_API_KEY: 'k' } });

const systemPrompt = (server: FakeModelServer, i: number): string => {
  const first = server.requests[i]!.body.messages![0] as { role: string; content: string };
  expect(first.role).toBe('system');
  return first.content;
};

const readTwice = [{ toolCalls: [{ name: 'list_dir', arguments: { path: '.' } }] }, { content: 'done' }];

describe('project instructions', () => {
  it('puts AGENTS.md from the repository root, then the working directory, into a stable system prompt', async () => {
    const repo = tempRepo({
      'AGENTS.md': 'ROOT RULE: use tabs\n',
      'packages/a/AGENTS.md': 'PACKAGE RULE: no default exports\n',
      'packages/a/index.ts': 'export const a = 1;\n',
    });
    const server = await startServer({ script: readTwice });
    const result = await run(server, join(repo, 'packages/a'));
    expect(result.code, result.stderr).toBe(0);

    const prompt = systemPrompt(server, 0);
    expect(prompt).toContain('# Project instructions (from AGENTS.md)');
    expect(prompt).toContain('# Project instructions (from packages/a/AGENTS.md)');
    expect(prompt.indexOf('ROOT RULE')).toBeLessThan(prompt.indexOf('PACKAGE RULE'));
    expect(systemPrompt(server, 1)).toBe(prompt);
    expect(result.events[0]).toMatchObject({ type: 'session', instructions: ['AGENTS.md', 'packages/a/AGENTS.md'] });
  });

  it('reads CLAUDE.md at a level without AGENTS.md, and never a FIFO or a link planted in its place', async () => {
    const repo = tempRepo({ 'CLAUDE.md': 'CLAUDE RULE\n', 'sub/x.txt': 'x\n' });
    execFileSync('mkfifo', [join(repo, 'sub', 'AGENTS.md')]);
    const outside = join(tempDir(), 'secret.md');
    writeFileSync(outside, 'HOST SECRET\n');
    symlinkSync(outside, join(repo, 'AGENTS.md'));
    const server = await startServer({ script: [{ content: 'done' }] });
    const result = await run(server, join(repo, 'sub'), ['--timeout', '20']);
    expect(result.code, result.stderr).toBe(0);
    expect(systemPrompt(server, 0)).toContain('CLAUDE RULE');
    expect(systemPrompt(server, 0)).not.toContain('HOST SECRET');
    expect(result.events[0]).toMatchObject({ instructions: ['CLAUDE.md'] });
  });

  it('cuts the instruction files at the budget and says so', async () => {
    const repo = tempRepo({ 'AGENTS.md': `${'x'.repeat(40_000)}\n`, 'pkg/AGENTS.md': 'NEAR RULE\n' });
    mkdirSync(join(repo, 'pkg'), { recursive: true });
    writeFileSync(join(repo, 'pkg', 'f.txt'), 'f\n');
    const server = await startServer({ script: [{ content: 'done' }] });
    await run(server, join(repo, 'pkg'));
    const prompt = systemPrompt(server, 0);
    expect(prompt).toContain('[AGENTS.md was cut to fit the instruction budget: 40001 bytes in all]');
    expect(prompt.length).toBeLessThan(40_000);
  });
});

describe('reasoning in tool loops and request ids', () => {
  const thinkingTurns = [
    { reasoning: 'I should list the files first.', toolCalls: [{ name: 'list_dir', arguments: { path: '.' } }] },
    { content: 'done' },
  ];

  it('sends the reasoning of a tool-calling turn back for seed 2.0, keeping the prefix byte-stable', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const server = await startServer({ script: thinkingTurns });
    const result = await run(server, repo, ['-m', 'doubao-seed-2-0-code']);
    expect(result.code, result.stderr).toBe(0);
    const assistant = server.requests[1]!.body.messages!.find((m) => m.role === 'assistant') as Record<string, unknown>;
    expect(assistant.reasoning_content).toBe('I should list the files first.');
    const before = JSON.stringify(server.requests[0]!.body.messages);
    expect(JSON.stringify(server.requests[1]!.body.messages).startsWith(before.slice(0, -1))).toBe(true);
  });

  it('does not send reasoning back for doubao-seed-code', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const server = await startServer({ script: thinkingTurns });
    await run(server, repo);
    const assistant = server.requests[1]!.body.messages!.find((m) => m.role === 'assistant') as Record<string, unknown>;
    expect(assistant).not.toHaveProperty('reasoning_content');
  });

  it('records the served model and a distinct X-Client-Request-Id per request in the usage events', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const server = await startServer({ script: readTwice, servedModel: 'doubao-seed-code-preview-251028' });
    const result = await run(server, repo);
    expect(result.code, result.stderr).toBe(0);
    const sent = server.requests.map((r) => r.headers['x-client-request-id']);
    expect(new Set(sent).size).toBe(2);
    const usage = result.events.filter((e) => e.type === 'usage');
    expect(usage.map((e) => e.request_id)).toEqual(sent);
    expect(usage.every((e) => e.model === 'doubao-seed-code-preview-251028')).toBe(true);
    expect(result.events.at(-1)).toMatchObject({ type: 'result', served_model: 'doubao-seed-code-preview-251028' });
  });
});
