// Bad tool calls from the model become error results that say what was wrong; the run goes on.
import { expect, it } from 'vitest';
import { toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

it('invalid JSON, a schema violation, an unknown tool and a failing tool each reach the model as errors', async () => {
  const repo = tempRepo({ 'a.txt': 'hello\n' });
  let results: Array<{ tool_call_id: string; content: string }> = [];
  const server = await startServer({
    script: [
      {
        toolCalls: [
          { id: 'bad_json', name: 'read_file', arguments: '{"path": "a.txt"' },
          { id: 'bad_schema', name: 'read_file', arguments: { path: 42, offset: 0 } },
          { id: 'unknown', name: 'delete_everything', arguments: {} },
          { id: 'throws', name: 'read_file', arguments: { path: 'missing.txt' } },
          { id: 'good', name: 'read_file', arguments: { path: 'a.txt' } },
        ],
      },
      (req) => {
        results = toolResults(req);
        return { content: 'noted the errors' };
      },
    ],
  });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'try tools'], {
    env: { SPROUT_API_KEY: 'k' },
  });
  expect(run.code, run.stderr).toBe(0);
  server.assertDone();
  expect(run.events.at(-1)).toMatchObject({ type: 'result', status: 'success' });

  const byId = Object.fromEntries(results.map((r) => [r.tool_call_id, r.content]));
  expect(byId.bad_json).toMatch(/^Error: the arguments of read_file are not valid JSON/);
  expect(byId.bad_json).toContain('Received: {"path": "a.txt"');
  expect(byId.bad_json).toContain('"required":["path"]');
  expect(byId.bad_schema).toMatch(/^Error: invalid arguments for read_file/);
  expect(byId.bad_schema).toMatch(/- path: .*expected string/i);
  expect(byId.bad_schema).toMatch(/- offset: .*>=\s*1/i);
  expect(byId.unknown).toMatch(/^Error: there is no tool named "delete_everything"\. Available tools: (\w+, )+\w+\.$/);
  expect(byId.unknown).toContain('edit_file, ');
  expect(byId.throws).toMatch(/^Error: no such file or directory/);
  expect(byId.good).toBe('1\thello');
  const failed = run.events.filter((e) => e.type === 'tool_result' && e.ok === false).map((e) => e.id);
  expect(failed.sort()).toEqual(['bad_json', 'bad_schema', 'throws', 'unknown']);
});
