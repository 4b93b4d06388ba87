// A reader that leaves early (`| head -1`) or is gone before sprout starts: every command exits as
// it would have, prints no stack trace, and a run still does its work and finishes its session.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionWriter, sessionsDir } from '../../src/session/store.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runIntoPipe } from '../helpers/pipe-cli.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

/** The records of the only session file under `state`. */
function onlySession(state: string): Array<{ type: string; result?: Record<string, unknown> }> {
  const dir = sessionsDir({ XDG_STATE_HOME: state });
  const files = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return readFileSync(join(dir, files[0]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

/** Many finished sessions, so that a listing is far larger than a pipe's buffer. */
function manySessions(count: number): string {
  const state = tempDir('sprout-state-');
  const dir = sessionsDir({ XDG_STATE_HOME: state });
  for (let i = 0; i < count; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    SessionWriter.create(dir, {
      type: 'header', session_id: id, created: new Date().toISOString(), cwd: '/tmp/project', model: 'doubao-seed-code',
      provider: 'ark', task: `task number ${i} with a description long enough to fill the listing`, version: '0.0.0',
    });
  }
  return state;
}

describe('a closed stdout', () => {
  it.each(['head -1', 'closed'] as const)('sprout models --json into %s exits 0 with nothing on stderr', async (reader) => {
    const piped = await runIntoPipe(['models', '--json'], reader);
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    if (reader === 'head -1') expect(JSON.parse(piped.stdout)).toHaveProperty('id');
  });

  it.each([[['--version']], [['--help']], [['run', '--help']], [['sessions', '--json']], [['doctor', '--offline', '--json']]])(
    'sprout %j into a closed pipe exits as it does with a reader, with nothing on stderr',
    async (args) => {
      const state = manySessions(3);
      const normal = await runCli(args, { env: { XDG_STATE_HOME: state } });
      const piped = await runIntoPipe(args, 'closed', { env: { XDG_STATE_HOME: state } });
      expect(piped.stderr).toBe('');
      expect(piped.code).toBe(normal.code);
    },
  );

  it.each(['head', 'closed'] as const)('sprout sessions with 1500 sessions into %s exits 0 with nothing on stderr', async (reader) => {
    const state = manySessions(1500);
    const piped = await runIntoPipe(['sessions'], reader, { env: { XDG_STATE_HOME: state } });
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    if (reader === 'head') expect(piped.stdout.trim().split('\n')).toHaveLength(10);
  });

  it.each([
    ['head -1', ['--json']],
    ['closed', []],
  ] as const)('sprout run into %s finishes its work and its session, exit 0, no error on stderr', async (reader, format) => {
    const repo = tempRepo({ 'a.txt': 'a' });
    const state = tempDir('sprout-state-');
    // The answers come after the reader is gone, so every later line meets a closed pipe.
    const server = await startServer({
      script: [
        { toolCalls: [{ name: 'shell', arguments: { command: 'echo ran >> runs.log' } }], delayMs: 300 },
        { content: 'all done', delayMs: 300 },
      ],
    });
    const piped = await runIntoPipe(['run', ...format, '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'append a line'], reader, {
      env: { SPROUT_API_KEY: 'k', XDG_STATE_HOME: state },
    });
    // With --json stderr stays empty; the text renderer's progress goes there, but no error does.
    // stderr carries the human progress lines (with --json too), never an EPIPE or a stack.
    expect(piped.stderr).not.toMatch(/EPIPE|error|\n\s+at /i);
    expect(piped.code).toBe(0);
    server.assertDone();
    if (reader === 'head -1') expect(JSON.parse(piped.stdout)).toMatchObject({ type: 'session' });
    expect(readFileSync(join(repo, 'runs.log'), 'utf8')).toBe('ran\n');
    expect(onlySession(state).at(-1)).toMatchObject({ type: 'result', result: { status: 'success', final_message: 'all done' } });
  });
});
