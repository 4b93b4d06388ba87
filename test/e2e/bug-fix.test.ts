// The main job end to end: the real CLI, the real openai SDK and a scripted model over HTTP fix a
// failing test in a real git repository.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { BUGGY_ADD_PROJECT, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

/** The model's side of a bug fix: read, edit, test, and stop once the tests pass. */
function bugFixScript() {
  return [
    { reasoning: 'The test says add(2, 3) should be 5. Look at math.js.', toolCalls: [{ name: 'read_file', arguments: { path: 'math.js' } }] },
    (req: Parameters<typeof toolResults>[0]) => {
      expect(toolResults(req)[0]?.content).toContain('return a - b;');
      return { content: 'add subtracts; fixing.', toolCalls: [{ name: 'edit_file', arguments: { path: 'math.js', old_string: 'return a - b;', new_string: 'return a + b;' } }] };
    },
    (req: Parameters<typeof toolResults>[0]) => {
      expect(toolResults(req)[0]?.content).toMatch(/^Edited math.js/);
      return { toolCalls: [{ name: 'shell', arguments: { command: 'npm test' } }] };
    },
    (req: Parameters<typeof toolResults>[0]) => {
      const testRun = toolResults(req)[0]?.content ?? '';
      expect(testRun).toMatch(/^exit code 0/);
      expect(testRun).toMatch(/pass 1/);
      return { content: 'Fixed add() in math.js to add instead of subtract; npm test passes.' };
    },
  ];
}

describe('sprout run fixes a bug end to end', () => {
  it('reads, edits, runs the tests, stops, and reports exact token totals as JSON Lines', async () => {
    const repo = tempRepo(BUGGY_ADD_PROJECT);
    const server = await startServer({ script: bugFixScript(), apiKey: 'sk-test-e2e' });
    const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'Make npm test pass'], {
      env: { SPROUT_API_KEY: 'sk-test-e2e' },
    });

    expect(run.stderr).not.toContain('sk-test-e2e');
    expect(run.code, run.stderr).toBe(0);
    server.assertDone();
    expect(readFileSync(join(repo, 'math.js'), 'utf8')).toContain('return a + b;');

    const { events } = run;
    expect(events[0]).toMatchObject({ type: 'session', cwd: repo, sandbox: 'host', model: 'doubao-seed-code' });
    const result = events.at(-1)!;
    expect(result).toMatchObject({
      type: 'result', status: 'success', finish_reason: 'stop', num_turns: 4,
      changed_files: ['math.js'], final_message: 'Fixed add() in math.js to add instead of subtract; npm test passes.',
    });
    const sum = (key: 'prompt_tokens' | 'completion_tokens' | 'total_tokens') =>
      server!.requests.reduce((n, r) => n + (r.usage?.[key] ?? 0), 0);
    const cached = server.requests.reduce((n, r) => n + (r.usage?.prompt_tokens_details.cached_tokens ?? 0), 0);
    const reasoning = server.requests.reduce((n, r) => n + (r.usage?.completion_tokens_details.reasoning_tokens ?? 0), 0);
    expect(result.usage).toEqual({ prompt_tokens: sum('prompt_tokens'), cached_tokens: cached, completion_tokens: sum('completion_tokens'), reasoning_tokens: reasoning });
    expect(cached).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(4);
    expect(events.filter((e) => e.type === 'tool_result').map((e) => [e.name, e.ok])).toEqual([
      ['read_file', true], ['edit_file', true], ['shell', true],
    ]);
    expect(events.find((e) => e.type === 'assistant' && e.reasoning)).toBeDefined();
  });

  it('prints a human summary on stderr and the final answer on stdout without --json', async () => {
    const repo = tempRepo(BUGGY_ADD_PROJECT);
    const server = await startServer({ script: bugFixScript() });
    const run = await runCli(['run', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'Make npm test pass'], {
      env: { SPROUT_API_KEY: 'sk-test' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('Fixed add() in math.js to add instead of subtract; npm test passes.');
    expect(run.stderr).toContain('NO SANDBOX');
    expect(run.stderr).toMatch(/✓ edit_file math\.js \(\d+ ms\)/);
    expect(run.stderr).toMatch(/✓ shell npm test \(/);
    expect(run.stderr).toMatch(/success after 4 turns/);
    expect(run.stderr).toContain('changed: math.js');
  });

  it('takes the task from an issue file and frames it as an issue to resolve', async () => {
    const repo = tempRepo({ ...BUGGY_ADD_PROJECT, 'issue.md': '# add() is broken\n\nadd(2, 3) returns -1.\n' });
    const server = await startServer({
      script: [
        (req) => {
          const user = String(req.body.messages?.[1]?.content);
          expect(user).toContain('# add() is broken');
          expect(user).toContain('run the tests');
          return { toolCalls: [{ name: 'edit_file', arguments: { path: 'math.js', old_string: 'a - b', new_string: 'a + b' } }] };
        },
        { content: 'Fixed add().' },
      ],
    });
    const run = await runCli(['run', '--json', '--no-verify', '--sandbox', 'none', '--base-url', server.url, '--issue', 'issue.md'], {
      cwd: repo, env: { SPROUT_API_KEY: 'k' },
    });
    expect(run.code, run.stderr).toBe(0);
    server.assertDone();
  });
});
