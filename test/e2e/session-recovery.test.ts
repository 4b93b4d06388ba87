// Sessions survive kill -9 at every moment of a run's start, and damaged files: `--resume last`
// completes the run, no tool call runs twice, a damaged middle line is skipped with a warning that
// names it (every other record is kept), and broken files never break listing or showing sessions.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { checkToolPairing, type RecordedRequest, type ScriptedTurn } from '../fake-server/index.js';
import { sessionsDir } from '../../src/session/store.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { CLI, cliEnv, runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo, writeFiles } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

/** The one session file under `state`, as lines. */
function sessionLines(state: string): { path: string; lines: string[] } {
  const dir = sessionsDir({ XDG_STATE_HOME: state });
  const [file] = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  const path = join(dir, file!);
  return { path, lines: readFileSync(path, 'utf8').split('\n').filter((l) => l !== '') };
}

const recordTypes = (state: string): string[] =>
  sessionLines(state).lines.map((l) => {
    const r = JSON.parse(l) as { type: string; message?: { role: string } };
    return r.type === 'message' ? `message:${r.message!.role}` : r.type;
  });

/**
 * A model that appends 1, 2, 3 to side.log with one shell call each, then stops. It asks for the
 * first number it has not asked for yet in the conversation it is sent, as a model would, so a
 * resume that lost part of the conversation makes it run a call again.
 */
function countingModel(req: RecordedRequest): ScriptedTurn {
  const problem = checkToolPairing(req.body.messages ?? []);
  if (problem) throw new Error(problem);
  const asked = (req.body.messages ?? []).flatMap((m) => m.tool_calls ?? []).map((c) => c.function?.arguments ?? '');
  const next = [1, 2, 3].find((n) => !asked.some((a) => a.includes(`echo ${n} `)));
  if (next === undefined) return { content: 'wrote 1, 2 and 3' };
  return { toolCalls: [{ name: 'shell', arguments: { command: `echo ${next} >> side.log` } }] };
}

function startRun(repo: string, url: string, state: string): { child: ChildProcess; done: Promise<number | null> } {
  const args = ['run', '--json', '--sandbox', 'none', '--base-url', url, '-C', repo, 'write 1, 2 and 3 to side.log'];
  const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv({ SPROUT_API_KEY: 'k', XDG_STATE_HOME: state }), stdio: 'ignore' });
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
}

async function resumeLast(repo: string, url: string, state: string) {
  return runCli(['run', '--json', '--resume', 'last', '--sandbox', 'none', '--base-url', url], { cwd: repo, env: { SPROUT_API_KEY: 'k', XDG_STATE_HOME: state } });
}

describe('kill -9 during the start of a run, then --resume last', () => {
  it('right after the header, while change tracking reads the tree: the resume starts the task and finishes it', async () => {
    // Many untracked files keep change tracking busy long enough to land the kill inside it.
    const files = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`data/f${i}.txt`, `${i}\n`.repeat(50)]));
    const repo = tempRepo({ 'a.txt': 'a' });
    writeFiles(repo, files);
    const state = tempDir('sprout-state-');
    const server = await startServer({ script: [countingModel, countingModel, countingModel, countingModel] });
    const { child, done } = startRun(repo, server.url, state);
    const dir = sessionsDir({ XDG_STATE_HOME: state });
    for (let i = 0; i < 4000 && child.exitCode === null; i++) {
      const [file] = (() => { try { return readdirSync(dir).filter((n) => n.endsWith('.jsonl')); } catch { return []; } })();
      if (file && readFileSync(join(dir, file), 'utf8').endsWith('\n')) break;
      await sleep(2);
    }
    child.kill('SIGKILL');
    await done;
    expect(recordTypes(state)).toEqual(['header']);
    expect(server.requests).toHaveLength(0);

    const resumed = await resumeLast(repo, server.url, state);
    expect(resumed.code, resumed.stderr).toBe(0);
    server.assertDone();
    expect(readFileSync(join(repo, 'side.log'), 'utf8')).toBe('1\n2\n3\n');
    expect(resumed.events.at(-1)).toMatchObject({ status: 'success', num_turns: 4, final_message: 'wrote 1, 2 and 3' });
    expect(String(server.requests[0]?.body.messages?.[1]?.content)).toBe('write 1, 2 and 3 to side.log');
  }, 90_000); // three runs over a big tree: slow on a loaded machine

  it('after the opening messages, during the first request: the resume sends them once and finishes', async () => {
    const repo = tempRepo({ 'a.txt': 'a' });
    const state = tempDir('sprout-state-');
    let run: ReturnType<typeof startRun> | undefined;
    const killer = (): ScriptedTurn => {
      run!.child.kill('SIGKILL');
      return { content: 'never delivered', delayMs: 3000 };
    };
    const server = await startServer({ script: [killer, countingModel, countingModel, countingModel, countingModel] });
    run = startRun(repo, server.url, state);
    await run.done;
    expect(recordTypes(state)).toEqual(['header', 'message:system', 'message:user']);

    const resumed = await resumeLast(repo, server.url, state);
    expect(resumed.code, resumed.stderr).toBe(0);
    server.assertDone();
    expect(server.requests[1]?.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(readFileSync(join(repo, 'side.log'), 'utf8')).toBe('1\n2\n3\n');
  });

  it.each([
    ['the header', 1],
    ['the header and the system prompt', 2],
    ['the header and both opening messages', 3],
  ])('a session file holding only %s is resumed to the end, with a valid first request', async (_what, keep) => {
    const repo = tempRepo({ 'a.txt': 'a' });
    const state = tempDir('sprout-state-');
    const first = await startServer({ script: [countingModel, countingModel, countingModel, countingModel] });
    const full = startRun(repo, first.url, state);
    expect(await full.done).toBe(0);
    // Cut the file back to what a kill at that moment leaves (records are appended one synchronous write each).
    const { path, lines } = sessionLines(state);
    writeFileSync(path, `${lines.slice(0, keep).join('\n')}\n`);
    writeFileSync(join(repo, 'side.log'), '');

    const server = await startServer({ script: [countingModel, countingModel, countingModel, countingModel] });
    const resumed = await resumeLast(repo, server.url, state);
    expect(resumed.code, resumed.stderr).toBe(0);
    server.assertDone();
    expect(server.requests[0]?.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(readFileSync(join(repo, 'side.log'), 'utf8')).toBe('1\n2\n3\n');
  });
});

describe('a damaged session file', () => {
  /** A run stopped by --max-turns 3 after its three shell calls ran; returns the session's lines. */
  async function stoppedRun(): Promise<{ repo: string; state: string; path: string; lines: string[] }> {
    const repo = tempRepo({ 'a.txt': 'a' });
    const state = tempDir('sprout-state-');
    const server = await startServer({ script: [countingModel, countingModel, countingModel] });
    const run = await runCli(['run', '--json', '--max-turns', '3', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'write 1, 2 and 3 to side.log'], {
      env: { SPROUT_API_KEY: 'k', XDG_STATE_HOME: state },
    });
    expect(run.code, run.stderr).toBe(3);
    expect(readFileSync(join(repo, 'side.log'), 'utf8')).toBe('1\n2\n3\n');
    return { repo, state, ...sessionLines(state) };
  }

  /** The 1-based line of the n-th record matching `test`. */
  const lineOf = (lines: string[], test: (line: string) => boolean, n = 1): number =>
    lines.map((l, i) => (test(l) ? i + 1 : 0)).filter((i) => i > 0)[n - 1]!;

  it.each([
    ['the usage record of the second turn', (l: string) => l.startsWith('{"type":"usage"'), 2],
    ['the result of the second shell call', (l: string) => l.includes('"role":"tool"'), 2],
  ])('with %s corrupted, resumes every other record with a warning naming the line, and runs no call twice', async (_what, test, n) => {
    const { repo, state, path, lines } = await stoppedRun();
    const bad = lineOf(lines, test, n);
    lines[bad - 1] = `${lines[bad - 1]!.slice(0, 40)}\u0000garbage`;
    writeFileSync(path, `${lines.join('\n')}\n`);

    const server = await startServer({ script: [countingModel] });
    const resumed = await resumeLast(repo, server.url, state);
    expect(resumed.code, resumed.stderr).toBe(0);
    server.assertDone();
    expect(resumed.events.find((e) => e.type === 'warning' && String(e.message).includes('damaged'))).toMatchObject({
      message: expect.stringContaining(`skipped line ${bad}`),
    });
    // Everything after the bad line reached the model: all three calls and their answers.
    const sent = server.requests[0]!.body.messages!;
    expect(sent.filter((m) => m.role === 'tool')).toHaveLength(3);
    expect(resumed.events.at(-1)).toMatchObject({ status: 'success', final_message: 'wrote 1, 2 and 3' });
    expect(readFileSync(join(repo, 'side.log'), 'utf8')).toBe('1\n2\n3\n');
  });

  it('with a tool call itself corrupted, refuses to resume with a clear error, and runs nothing', async () => {
    const { repo, state, path, lines } = await stoppedRun();
    const bad = lineOf(lines, (l) => l.includes('"role":"assistant"'), 2);
    lines[bad - 1] = '{"type":"message","message":{"role":"assis';
    writeFileSync(path, `${lines.join('\n')}\n`);
    const server = await startServer({ script: [] });
    const resumed = await resumeLast(repo, server.url, state);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(`is damaged: line ${bad} held a tool call that ran`);
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    expect(server.requests).toHaveLength(0);
    expect(readFileSync(join(repo, 'side.log'), 'utf8')).toBe('1\n2\n3\n');
  });

  it('a torn last line followed by a resume keeps the resume\'s records intact', async () => {
    const { repo, state, path } = await stoppedRun();
    appendFileSync(path, '{"type":"usage","prompt_tok'); // a write cut short by the kill
    const server = await startServer({ script: [countingModel] });
    const resumed = await resumeLast(repo, server.url, state);
    expect(resumed.code, resumed.stderr).toBe(0);
    const { lines } = sessionLines(state);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'result', result: { status: 'success' } });
    // Listing it again finds the resumed run's result, and sees the torn line as the one damaged line.
    const list = await runCli(['sessions', '--json'], { env: { XDG_STATE_HOME: state } });
    expect(JSON.parse(list.stdout.trim())).toMatchObject({ status: 'success', turns: 4 });
  });
});

describe('broken session files', () => {
  it('sessions show on an empty file is a one-line error, exit 1, no stack', async () => {
    const state = tempDir('sprout-state-');
    const dir = sessionsDir({ XDG_STATE_HOME: state });
    writeFiles(dir, { 'empty-session.jsonl': '' });
    const show = await runCli(['sessions', 'show', 'empty-session'], { env: { XDG_STATE_HOME: state } });
    expect(show.code).toBe(1);
    expect(show.stderr.trim().split('\n')).toHaveLength(1);
    expect(show.stderr).toMatch(/^error: session file .*empty-session\.jsonl is empty .*start a new run, or delete the file/);
  });

  it('a header without an id does not break sprout sessions for the others', async () => {
    const repo = tempRepo({ 'a.txt': 'a' });
    const state = tempDir('sprout-state-');
    const server = await startServer({ script: [{ content: 'fine' }] });
    const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'say fine'], { env: { SPROUT_API_KEY: 'k', XDG_STATE_HOME: state } });
    expect(run.code, run.stderr).toBe(0);
    const dir = sessionsDir({ XDG_STATE_HOME: state });
    writeFiles(dir, { 'no-id.jsonl': `${JSON.stringify({ type: 'header', created: '2026-01-01T00:00:00Z', cwd: repo, task: 'x' })}\n` });
    for (const args of [['sessions'], ['sessions', '--json']]) {
      const list = await runCli(args, { env: { XDG_STATE_HOME: state } });
      expect(list.code, list.stderr).toBe(0);
      expect(list.stderr).toBe('');
      expect(list.stdout).toContain(String(run.events[0]?.session_id));
    }
    const resumed = await runCli(['run', '--json', '--resume', 'last', '--sandbox', 'none', '--base-url', server.url, 'again'], { cwd: repo, env: { SPROUT_API_KEY: 'k', XDG_STATE_HOME: state } });
    expect(resumed.events[0]?.session_id).toBe(run.events[0]?.session_id);
  });
});
