// Start-up does only what the first request needs: a one-request run loads no image, browser, MCP,
// batch or CI code, a passed bwrap probe is reused by the next run (for the same binary and
// kernel), and the change snapshot taken alongside the first request still sees a first-turn edit.
import { chmodSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();
const RECORDER = pathToFileURL(join(import.meta.dirname, '..', 'fixtures', 'record-modules.mjs')).href;
const KEY = 'sk-test-startup';

/** A PATH whose `bwrap` logs each call's arguments and then runs the real one. */
function loggingBwrap(): { path: string; wrapper: string; log: string } {
  const dir = tempDir('sprout-bwrap-wrap-');
  const log = join(dir, 'calls.log');
  const wrapper = join(dir, 'bwrap');
  writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> ${log}\nexec /usr/bin/bwrap "$@"\n`);
  chmodSync(wrapper, 0o755);
  return { path: `${dir}:${process.env.PATH}`, wrapper, log };
}

/**
 * Every module the recorder saw, one per line; a bundle chunk stands for the modules its source map
 * lists (the CLI is bundled, so node_modules paths appear only there).
 */
function loadedSources(log: string): string {
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return urls
    .flatMap((url) => {
      const file = url.startsWith('file:') ? fileURLToPath(url) : url;
      if (!existsSync(`${file}.map`)) return [url];
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      return map.sources.map((source) => resolve(dirname(file), source));
    })
    .join('\n');
}

describe('start-up', () => {
  it('a one-request run loads no image, browser, MCP, batch, CI, report or other command code', async () => {
    const server = await startServer({ script: [{ content: 'Done.' }], apiKey: KEY });
    const log = join(tempDir('sprout-modules-'), 'modules.log');
    const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', tempRepo({ 'a.txt': 'a\n' }), 'say done'], {
      env: { SPROUT_API_KEY: KEY, NODE_OPTIONS: `--import=${RECORDER}`, SPROUT_TEST_MODULE_LOG: log },
    });
    expect(run.code, run.stderr).toBe(0);
    const loaded = loadedSources(log);
    expect(loaded).toContain('/openai/'); // the recorder works, through the bundle's source maps too
    const lazy = [
      '/sharp/', '/playwright-core/', '/@modelcontextprotocol/', '/ajv/', '/diff/', '/ora/', '/yaml/', '/tinyglobby/', '/jsonc-parser/',
      '/src/batch/', '/src/eval/', '/src/report/', '/src/ci/outputs.js', '/src/ci/github/', '/src/cli/doctor-command.js', '/src/cli/init/',
    ];
    // batch/shard.js parses --shard, which commander knows from the start; no other batch code loads.
    const shown = loaded.split('\n').filter((path) => !path.endsWith('/src/batch/shard.js')).join('\n');
    for (const heavy of lazy) expect(shown, heavy).not.toContain(heavy);
  });

  it('--version loads neither the run, the model client nor the config schema', async () => {
    const log = join(tempDir('sprout-modules-'), 'modules.log');
    const run = await runCli(['--version'], { env: { NODE_OPTIONS: `--import=${RECORDER}`, SPROUT_TEST_MODULE_LOG: log } });
    expect(run.code, run.stderr).toBe(0);
    const loaded = loadedSources(log);
    expect(loaded).toContain('/commander/');
    for (const heavy of ['/openai/', '/zod/', '/execa/', '/src/cli/run-command.js', '/src/agent/']) expect(loaded, heavy).not.toContain(heavy);
  });

  it('reuses a passed bwrap probe for the same binary and probes again when the binary changes', async () => {
    const server = await startServer({ script: [{ content: 'one' }, { content: 'two' }, { content: 'three' }], apiKey: KEY });
    const bwrap = loggingBwrap();
    const state = tempDir('sprout-state-');
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const run = () => runCli(['run', '--json', '--base-url', server.url, '-C', repo, 'say something'], { env: { SPROUT_API_KEY: KEY, PATH: bwrap.path, XDG_STATE_HOME: state } });
    const probes = () => (existsSync(bwrap.log) ? readFileSync(bwrap.log, 'utf8') : '').split('\n').filter((line) => line === '--version').length;

    expect((await run()).code).toBe(0);
    expect(probes()).toBe(1);
    expect(existsSync(join(state, 'sprout', 'bwrap-probe.json'))).toBe(true);
    expect((await run()).code).toBe(0);
    expect(probes()).toBe(1); // the second run trusted the stored verdict
    utimesSync(bwrap.wrapper, new Date(), new Date(Date.now() + 5000)); // "a new bwrap"
    expect((await run()).code).toBe(0);
    expect(probes()).toBe(2);
  });

  it('a file the first tool call changes is still in changed_files', async () => {
    const server = await startServer({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'changed\n' } }, { name: 'write_file', arguments: { path: 'new.txt', content: 'new\n' } }] },
        { content: 'Wrote both.' },
      ],
      apiKey: KEY,
    });
    const repo = tempRepo({ 'a.txt': 'a\n' });
    const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'write'], { env: { SPROUT_API_KEY: KEY } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.events.at(-1)).toMatchObject({ status: 'success', changed_files: ['a.txt', 'new.txt'] });
  });
});
