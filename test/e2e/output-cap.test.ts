// One cap for every tool's output: a 1 MB result reaches the model as about 16 KB, head and tail,
// with the path of a file holding all of it that read_file can page through.
import { expect, it } from 'vitest';
import { toolResults } from '../fake-server/index.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

it('caps a 1 MB shell output at 16 KB and keeps the whole of it readable with read_file', async () => {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  let savedAt = '';
  const server = await startServer({
    script: [
      { toolCalls: [{ name: 'shell', arguments: { command: 'seq 1 200000' } }] },
      (req) => {
        const result = toolResults(req)[0]!.content;
        expect(Buffer.byteLength(result)).toBeLessThan(17 * 1024);
        // The first line says the result is partial, how big the whole was and where it is kept.
        const [notice, ...rest] = result.split('\n');
        expect(notice).toMatch(/^\[output cut: 200001 lines, \d+ bytes in total; showing its start and its end, \d+ bytes cut from the middle; the whole output is saved at \S+: read_file it/);
        expect(rest.join('\n')).toMatch(/^exit code 0\n1\n2\n3\n/);
        expect(result).toMatch(/\n199999\n200000$/);
        expect(result).toMatch(/\[\.\.\. \d+ bytes \(\d+ lines\) cut from the middle of this output \.\.\.\]/);
        savedAt = /saved at (\S+):/.exec(result)?.[1] ?? '';
        expect(savedAt).not.toBe('');
        return { toolCalls: [{ name: 'read_file', arguments: { path: savedAt, offset: 100001, limit: 2 } }] };
      },
      (req) => {
        // Line 1 of the saved file is the status line, so line 100001 holds the number 100000.
        expect(toolResults(req)[0]!.content).toBe('100001\t100000\n100002\t100001\n(showing lines 100001-100002 of 200001; pass offset=100003 to read on)');
        return { content: 'found it' };
      },
    ],
  });
  const run = await runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'count'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, `${run.stderr}\n${server.unexpected.join('\n')}`).toBe(0);
  server.assertDone();
  expect(run.events.at(-1)).toMatchObject({ status: 'success', changed_files: [] });
});
