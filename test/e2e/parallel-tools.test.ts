// Several tool calls of one turn run at the same time, and their results go back in the model's order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { type RecordedRequest, toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

it('three one-second shell calls overlap, finish well under 3 s, and return in the model order', async () => {
  const repo = tempRepo({ 'README.md': 'fixture\n' });
  // Each call logs its start and end; the slowest is first so completion order differs from model order.
  const sleeper = (name: string, seconds: number) => ({
    id: `call_${name}`,
    name: 'shell',
    arguments: { command: `echo start ${name} >> log; sleep ${seconds}; echo end ${name} >> log; echo done ${name}` },
  });
  let toolsSentAt = 0;
  let resultsSeenAt = 0;
  let seen: RecordedRequest | undefined;
  const server = await startServer({
    script: [
      () => {
        toolsSentAt = Date.now();
        return { toolCalls: [sleeper('A', 1), sleeper('B', 1), sleeper('C', 1)] };
      },
      (req) => {
        resultsSeenAt = Date.now();
        seen = req;
        return { content: 'all done' };
      },
    ],
  });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'sleep three times'], {
    env: { SPROUT_API_KEY: 'k' },
  });
  expect(run.code, run.stderr).toBe(0);
  server.assertDone();

  expect(resultsSeenAt - toolsSentAt).toBeLessThan(2500);
  const log = readFileSync(join(repo, 'log'), 'utf8').trim().split('\n');
  // Every call started before any call ended: they ran side by side.
  expect(log.slice(0, 3).every((line) => line.startsWith('start'))).toBe(true);
  expect(toolResults(seen!)).toEqual([
    { tool_call_id: 'call_A', content: 'exit code 0\ndone A' },
    { tool_call_id: 'call_B', content: 'exit code 0\ndone B' },
    { tool_call_id: 'call_C', content: 'exit code 0\ndone C' },
  ]);
});

it('[edit_file(a), run_tests] in one turn tests the edited a, even a check that starts faster than the edit ends', async () => {
  // A large file makes the edit take long enough that a test run started beside it would read the old text.
  const filler = 'x'.repeat(99) + '\n';
  const repo = tempRepo({
    'package.json': JSON.stringify({ name: 'order', type: 'module', scripts: { test: 'node --test' } }),
    'data.txt': `${filler.repeat(300_000)}status: broken\n`,
    'data.test.js':
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { readFileSync } from 'node:fs';\n\n" +
      "test('data is fixed', () => {\n  assert.ok(readFileSync('data.txt', 'utf8').endsWith('status: fixed\\n'));\n});\n",
  });
  let seen: RecordedRequest | undefined;
  const server = await startServer({
    script: [
      {
        toolCalls: [
          { id: 'call_edit', name: 'edit_file', arguments: { path: 'data.txt', old_string: 'status: broken', new_string: 'status: fixed' } },
          { id: 'call_tests', name: 'run_tests', arguments: {} },
          // A check that starts in a few ms: without ordering it would always see the old file.
          { id: 'call_check', name: 'run_tests', arguments: { command: "tail -n 1 data.txt | grep -qx 'status: fixed'" } },
        ],
      },
      (req) => {
        seen = req;
        return { content: 'fixed and tested' };
      },
    ],
  });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'fix the data'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(0);
  server.assertDone();
  const [edit, tests, check] = toolResults(seen!);
  expect(edit?.content).not.toMatch(/^Error/);
  expect(tests?.content).toMatch(/^PASSED: 1 passed/);
  expect(check?.content).toMatch(/^PASSED: exit code 0/);
});
