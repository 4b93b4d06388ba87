// Ctrl-C during a long tool call: the process tree is killed, the result line is written, exit 130.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { survivors, uniqueSleep } from '../sandbox/process-helpers.js';

const startServer = fakeServerPerTest();

it('SIGINT during a long shell call ends with status interrupted, exit 130 and no process left', async () => {
  const repo = tempRepo({ 'a.txt': 'a' });
  const sleeper = uniqueSleep(301);
  const server = await startServer({ script: [{ toolCalls: [{ name: 'shell', arguments: { command: sleeper.command } }] }] });
  let signalledAt = 0;
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'wait'], {
    env: { SPROUT_API_KEY: 'k' },
    onLine(line, child) {
      if (JSON.parse(line).type === 'tool_call') {
        // Give the command a moment to start, then interrupt as a user would.
        setTimeout(() => {
          signalledAt = Date.now();
          child.kill('SIGINT');
        }, 300);
      }
    },
  });
  expect(run.code, run.stderr).toBe(130);
  expect(Date.now() - signalledAt).toBeLessThan(2000);
  expect(run.events.at(-1)).toMatchObject({ type: 'result', status: 'interrupted' });
  expect(await survivors(sleeper.pattern)).toEqual([]);
});
