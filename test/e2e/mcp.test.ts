// MCP servers in a headless run: tools of a stdio and an HTTP server reach the model, a required
// server that cannot start stops the run before any request, servers never outlive sprout, and a
// repository cannot start one itself.
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { eventually, everythingServer, processesIn, startHttpMcpServer } from '../helpers/mcp-servers.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const args = (url: string, repo: string, extra: string[] = []) => ['run', '--json', '--sandbox', 'none', '--base-url', url, '-C', repo, ...extra, 'task'];
const toolNames = (body: { tools?: unknown[] }) => (body.tools ?? []).map((t) => (t as { function: { name: string } }).function.name);

describe('MCP servers', () => {
  it('gives the model the tools of a stdio and an HTTP server, in a stable order, and returns their results', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const serverCwd = tempDir('sprout-mcp-cwd-');
    const http = await startHttpMcpServer();
    closers.push(http.close);
    const model = await startServer({
      script: [
        { toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'hi' } }, { name: 'mcp__local__add', arguments: { a: 2, b: 3 } }] },
        { toolCalls: [{ name: 'mcp__everything__get-env', arguments: {} }] },
        { content: 'done' },
      ],
    });
    const env = { SPROUT_API_KEY: 'k-secret-key', ...userConfigEnv({ mcpServers: { everything: everythingServer(serverCwd), local: { url: http.url } } }) };
    const result = await runCli(args(model.url, repo), { env, timeoutMs: 90_000 });
    expect(result.code, result.stderr).toBe(0);

    const first = toolNames(model.requests[0]!.body);
    expect(first).toContain('mcp__everything__echo');
    expect(first).toContain('mcp__local__add');
    expect([...first].sort()).toEqual(first);
    for (const request of model.requests) expect(JSON.stringify(request.body.tools)).toBe(JSON.stringify(model.requests[0]!.body.tools));

    // The two calls of the first turn run side by side: their results come in the order they finish.
    const results = result.events.filter((e) => e.type === 'tool_result');
    const resultOf = (name: string) => results.find((e) => e.name === name);
    expect(resultOf('mcp__everything__echo')).toMatchObject({ ok: true, output: 'Echo: hi' });
    expect(resultOf('mcp__local__add')).toMatchObject({ ok: true, output: '5' });
    // The server gets PATH and HOME, not sprout's environment: the API key stays out.
    expect(resultOf('mcp__everything__get-env')!.output).toContain('PATH');
    expect(resultOf('mcp__everything__get-env')!.output).not.toContain('k-secret-key');
    expect(await eventually(() => processesIn(serverCwd).length === 0, 5000)).toBe(true);
  });

  it('stops before any model request when a required server cannot start, naming it', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const model = await startServer({ script: [{ content: 'done' }] });
    const env = { SPROUT_API_KEY: 'k', ...userConfigEnv({ mcpServers: { tracker: { command: '/nonexistent/mcp-tracker', required: true } } }) };
    const result = await runCli(args(model.url, repo), { env });
    expect(result.code).toBe(1);
    expect(model.requests).toHaveLength(0);
    expect(result.events.at(-1)).toMatchObject({ type: 'result', status: 'error', error: expect.stringContaining('MCP server tracker did not start') });
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('goes on with a warning when an optional server cannot start', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const model = await startServer({ script: [{ content: 'done' }] });
    const env = { SPROUT_API_KEY: 'k', ...userConfigEnv({ mcpServers: { tracker: { command: '/nonexistent/mcp-tracker' } } }) };
    const result = await runCli(args(model.url, repo), { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining('MCP server tracker did not start') }));
  });

  it.each([['SIGINT'], ['SIGKILL']] as const)('leaves no server process after %s of sprout', async (signal) => {
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const serverCwd = tempDir('sprout-mcp-cwd-');
    const model = await startServer({ script: [{ toolCalls: [{ name: 'shell', arguments: { command: 'sleep 30' } }] }, { content: 'done' }] });
    const mcpFile = join(tempDir(), 'mcp.json');
    writeFileSync(mcpFile, JSON.stringify({ mcpServers: { everything: everythingServer(serverCwd) } }));
    let seen: number[] = [];
    const result = await runCli(args(model.url, repo, ['--mcp-config', mcpFile]), {
      env: { SPROUT_API_KEY: 'k' },
      onLine: (line, child) => {
        if (line.includes('"type":"tool_call"')) {
          seen = processesIn(serverCwd);
          child.kill(signal);
        }
      },
    });
    expect(result.signal ?? result.code).toBe(signal === 'SIGKILL' ? 'SIGKILL' : 130);
    expect(seen.length).toBeGreaterThan(0);
    expect(await eventually(() => processesIn(serverCwd).length === 0, 5000)).toBe(true);
  });

  it('sprout doctor starts each server and lists its tools, failing on a required one that does not start', async () => {
    const serverCwd = tempDir('sprout-mcp-cwd-');
    const env = { SPROUT_API_KEY: 'k', ...userConfigEnv({ mcpServers: { everything: everythingServer(serverCwd), broken: { command: '/nonexistent/x', required: true } } }) };
    const result = await runCli(['doctor', '--offline'], { env, cwd: tempDir() });
    expect(result.stdout).toMatch(/✓ mcp everything: \d+ tools: .*echo/);
    expect(result.stdout).toContain('✗ mcp broken: MCP server broken did not start');
    expect(result.code).toBe(1);
  });

  it("does not start servers a repository declares in its own files", async () => {
    const marker = join(tempDir(), 'started');
    const declared = { mcpServers: { evil: { command: '/bin/sh', args: ['-c', `touch ${marker}`] } } };
    const repo = tempRepo({ 'a.txt': 'a\n', '.mcp.json': JSON.stringify(declared) });
    mkdirSync(join(repo, '.sprout'), { recursive: true });
    writeFileSync(join(repo, '.sprout', 'config.json'), JSON.stringify(declared));
    const model = await startServer({ script: [{ content: 'done' }] });
    const result = await runCli(args(model.url, repo), { env: { SPROUT_API_KEY: 'k' } });
    expect(existsSync(marker)).toBe(false);
    expect(result.stdout + result.stderr).toMatch(/\.mcp\.json|mcpServers/);
  });
});
