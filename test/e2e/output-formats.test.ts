// The two machine formats of `sprout run`, read the way their consumers read them: every
// `--output-format json` line validates against the shipped events schema and carries ts and
// session_id; `--output-format stream-json` is parsed like a Claude Code stream-json consumer does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { type CliResult, runCli } from '../helpers/run-cli.js';
import { REPO_ROOT } from '../helpers/packed-install.js';
import { BUGGY_ADD_PROJECT, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();
const SHIPPED_SCHEMA = JSON.parse(readFileSync(join(REPO_ROOT, 'schema/events.schema.json'), 'utf8')) as object;

describe('--output-format json', () => {
  it('writes only lines valid against the shipped schema, each with ts and session_id, with file changes and exit codes', async () => {
    const repo = tempRepo({ ...BUGGY_ADD_PROJECT, 'old.txt': 'one\ntwo\n' });
    const server = await startServer({
      script: [
        { toolCalls: [{ name: 'edit_file', arguments: { path: 'math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }] },
        { toolCalls: [{ name: 'shell', arguments: { command: 'mv old.txt new.txt && printf "x\\ny\\nz\\n" > added.txt && echo failing >&2 && exit 3' } }] },
        { content: 'Fixed add().' },
      ],
    });
    const run = await runCli(['run', '--output-format', 'json', '--sandbox', 'none', '--no-verify', '--base-url', server.url, '-C', repo, 'fix add'], { env: { SPROUT_API_KEY: 'k' } });
    expect(run.code, run.stderr).toBe(0);
    server.assertDone();
    const validate = new Ajv2020({ strict: false, formats: { 'date-time': true } }).compile(SHIPPED_SCHEMA);
    for (const event of run.events) expect(validate(event) ? [] : validate.errors, JSON.stringify(event)).toEqual([]);
    const sessionId = run.events[0]!.session_id;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    for (const event of run.events) {
      expect(event.session_id).toBe(sessionId);
      expect(Date.parse(String(event.ts))).not.toBeNaN();
    }
    expect(run.events[0]).toMatchObject({ type: 'session', tools: expect.arrayContaining(['shell', 'edit_file']) });
    const changes = run.events.filter((e) => e.type === 'file_change').map(({ ts: _ts, session_id: _s, ...rest }) => rest);
    expect(changes).toEqual([
      { type: 'file_change', path: 'math.js', kind: 'modified', added: 1, removed: 1 },
      { type: 'file_change', path: 'added.txt', kind: 'added', added: 3, removed: 0 },
      { type: 'file_change', path: 'new.txt', kind: 'moved', from: 'old.txt', added: 0, removed: 0 },
    ]);
    const shell = run.events.find((e) => e.type === 'tool_result' && e.name === 'shell');
    expect(shell).toMatchObject({ ok: false, exit_code: 3, timed_out: false });
  });

  it('`--json` is the same format, and `sprout schema events` prints the shipped schema', async () => {
    const server = await startServer({ script: [{ content: 'hi' }] });
    const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', tempRepo({ 'a.txt': 'a\n' }), 'hi'], { env: { SPROUT_API_KEY: 'k' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.events.every((e) => typeof e.ts === 'string' && e.session_id === run.events[0]!.session_id)).toBe(true);
    const printed = await runCli(['schema', 'events']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(SHIPPED_SCHEMA);
  });
});

/** What a Claude stream-json consumer does: read every line, keep the last result, gate on it. */
function claudeConsumer(stdout: string) {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, any>);
  const result = lines.filter((l) => l.type === 'result').at(-1)!;
  return {
    lines,
    ok: result.subtype === 'success' && !result.is_error,
    subtype: result.subtype as string,
    answer: result.result as string,
    turns: result.num_turns as number,
    tokens: result.usage.input_tokens + result.usage.cache_read_input_tokens + result.usage.output_tokens,
    usd: result.total_cost_usd as number | undefined,
    cost: [result.total_cost, result.currency] as [number, string],
  };
}

function streamRun(url: string, extra: string[], task = 'read a'): Promise<CliResult> {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  return runCli(['run', '--output-format', 'stream-json', '--sandbox', 'none', '--base-url', url, '-C', repo, ...extra, task], { env: { SPROUT_API_KEY: 'k' } });
}

describe('--output-format stream-json', () => {
  it('a successful run: init, assistant tool_use and text, user tool_result, and a success result with USD cost', async () => {
    const server = await startServer({ script: [{ content: 'Reading.', toolCalls: [{ id: 'call_1', name: 'read_file', arguments: { path: 'a.txt' } }] }, { content: 'a.txt holds "a".' }] });
    const run = await streamRun(server.url, ['--provider', 'joapi', '-m', 'doubao-seed-2-0-code']);
    expect(run.code, run.stderr).toBe(0);
    const read = claudeConsumer(run.stdout);
    expect(read).toMatchObject({ ok: true, subtype: 'success', answer: 'a.txt holds "a".', turns: 2 });
    const sum = server.requests.reduce((n, r) => n + r.usage!.total_tokens, 0);
    expect(read.tokens).toBe(sum);
    expect(read.usd).toBeGreaterThan(0);
    expect(read.cost).toEqual([read.usd, 'USD']);
    const [init, ...rest] = read.lines;
    expect(init).toMatchObject({ type: 'system', subtype: 'init', model: 'doubao-seed-2-0-code', tools: expect.arrayContaining(['read_file']) });
    expect(rest.every((l) => l.session_id === init!.session_id)).toBe(true);
    expect(rest.map((l) => [l.type, l.message?.content?.[0]?.type ?? l.subtype])).toEqual([
      ['assistant', 'text'], ['assistant', 'tool_use'], ['user', 'tool_result'], ['assistant', 'text'], ['result', 'success'],
    ]);
    expect(rest[1]!.message.content[0]).toEqual({ type: 'tool_use', id: 'call_1', name: 'read_file', input: { path: 'a.txt' } });
    expect(rest[2]!.message.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'call_1', is_error: false });
  });

  it('a failed run reads as an error during execution', async () => {
    const server = await startServer({ script: [{ error: { status: 400 } }] });
    const run = await streamRun(server.url, []);
    expect(run.code).toBe(1);
    const read = claudeConsumer(run.stdout);
    // num_turns counts answered requests: the only one failed.
    expect(read).toMatchObject({ ok: false, subtype: 'error_during_execution', turns: 0 });
    expect(read.usd).toBeUndefined();
    expect(read.cost).toEqual([0, 'CNY']);
  });

  it('a run stopped by --max-turns reads as error_max_turns', async () => {
    const server = await startServer({ script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }] });
    const run = await streamRun(server.url, ['--max-turns', '1']);
    expect(run.code).toBe(3);
    expect(claudeConsumer(run.stdout)).toMatchObject({ ok: false, subtype: 'error_max_turns', turns: 1 });
  });

  it('a run stopped by --max-cost reads as error_max_budget, its cost in CNY and not as USD', async () => {
    const big = { prompt_tokens: 100_000, cached_tokens: 0, completion_tokens: 1000, reasoning_tokens: 0 };
    const server = await startServer({ script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }], usage: big }] });
    const run = await streamRun(server.url, ['--max-cost', '0.17']);
    expect(run.code).toBe(3);
    const read = claudeConsumer(run.stdout);
    expect(read).toMatchObject({ ok: false, subtype: 'error_max_budget', turns: 1 });
    expect(read.usd).toBeUndefined();
    expect(read.cost[1]).toBe('CNY');
    expect(read.cost[0]).toBeCloseTo((100_000 * 1.4 + 1000 * 12) / 1e6, 10);
  });
});
