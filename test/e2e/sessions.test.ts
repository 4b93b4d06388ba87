// Sessions: every run is saved as it happens, listed by `sprout sessions`, and can be resumed after
// a limit or a kill -9, with interrupted tool calls answered as such.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { survivors } from '../sandbox/process-helpers.js';

const startServer = fakeServerPerTest();

const readAll = (dir: string): string =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');

describe('sessions', () => {
  it('saves the conversation without the key, and lists it with its status', async () => {
    const repo = tempRepo({ 'a.txt': 'alpha\n' });
    const state = tempDir('sprout-state-');
    const server = await startServer({ script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }, { content: 'it says alpha' }] });
    const env = { SPROUT_API_KEY: 'sk-secret-session-key', XDG_STATE_HOME: state };
    const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'what does a.txt say?'], { env });
    expect(run.code, run.stderr).toBe(0);
    const saved = readAll(state);
    expect(saved).toContain('it says alpha');
    expect(saved).toContain('1\\talpha');
    expect(saved).not.toContain('sk-secret-session-key');

    const list = await runCli(['sessions'], { env });
    const id = String(run.events[0]?.session_id);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toMatch(/success\s+2 turns/);
    expect(list.stdout).toContain('what does a.txt say?');
    const show = await runCli(['sessions', 'show', id], { env });
    expect(show.stdout).toContain('assistant: it says alpha');
    expect(show.stdout).toContain('→ read_file {"path":"a.txt"}');
  });

  it('resumes a run stopped by --max-turns and finishes it with a new budget', async () => {
    const repo = tempRepo({ 'a.txt': 'alpha\n' });
    const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
    const server = await startServer({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'b.txt', content: 'beta\n' } }] },
        (req) => {
          expect(toolResults(req)[0]?.content).toBe('Created b.txt (5 bytes)');
          return { content: 'done' };
        },
      ],
    });
    const first = await runCli(['run', '--json', '--max-turns', '1', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'write b'], { env });
    expect(first.code).toBe(3);
    const second = await runCli(['run', '--json', '--resume', 'last', '--sandbox', 'none', '--base-url', server.url], { cwd: repo, env });
    expect(second.code, second.stderr).toBe(0);
    server.assertDone();
    expect(second.events[0]?.session_id).toBe(first.events[0]?.session_id);
    expect(second.events.at(-1)).toMatchObject({ status: 'success', num_turns: 2, final_message: 'done' });
  });

  it('after kill -9 in the middle of a tool call, --resume answers it as interrupted and ends with the same tree', async () => {
    const repo = tempRepo({ 'a.txt': 'alpha\n' });
    const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
    const slowAppend = { name: 'shell', arguments: { command: 'sleep 30 && echo done >> b.txt' } };
    const server = await startServer({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'c.txt', content: 'gamma\n' } }] },
        { toolCalls: [slowAppend] },
        (req) => {
          expect(toolResults(req)[0]?.content).toMatch(/^Error: this call was interrupted/);
          return { toolCalls: [{ name: 'shell', arguments: { command: 'echo done >> b.txt' } }] };
        },
        { content: 'finished' },
      ],
    });
    const killed = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'make b and c'], {
      env,
      onLine(line, child) {
        if (line.includes('"type":"tool_call"') && line.includes('sleep 30')) setTimeout(() => child.kill('SIGKILL'), 300);
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    // The shell running the tool call died with sprout, so its `&& echo` can never run later.
    expect(await survivors('echo done >> b\\.txt')).toEqual([]);
    const resumed = await runCli(['run', '--json', '--resume', 'last', '--sandbox', 'none', '--base-url', server.url], { cwd: repo, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    server.assertDone();
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('done\n');
    expect(readFileSync(join(repo, 'c.txt'), 'utf8')).toBe('gamma\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('?? b.txt\n?? c.txt\n');
  });

  it('an unknown session id is a usage error naming where sessions are kept', async () => {
    const repo = tempRepo({ 'a.txt': 'a' });
    const run = await runCli(['run', '--resume', 'no-such-session'], { cwd: repo, env: { SPROUT_API_KEY: 'k' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no saved session no-such-session');
  });
});

it('a resumed issue run still has to change something to succeed', async () => {
  const repo = tempRepo({ 'a.txt': 'alpha\n', 'issue.md': '# Fix a\n\na.txt is wrong\n' });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const server = await startServer({ script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }, { content: 'Nothing to fix.' }] });
  const first = await runCli(['run', '--json', '--max-turns', '1', '--no-verify', '--sandbox', 'none', '--base-url', server.url, '--issue', 'issue.md'], { cwd: repo, env });
  expect(first.code).toBe(3);
  const resumed = await runCli(['run', '--json', '--resume', 'last', '--no-verify', '--sandbox', 'none', '--base-url', server.url], { cwd: repo, env });
  expect(resumed.code).toBe(1);
  expect(resumed.events.at(-1)).toMatchObject({ status: 'error', error: expect.stringContaining('without changing any file') });
});
