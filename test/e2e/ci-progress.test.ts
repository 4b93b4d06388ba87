// With machine output on stdout (--json), people still see progress on stderr: a line per turn and
// per tool call; under GitHub Actions, a collapsible group per turn and annotations for problems.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

const script = () => [
  { toolCalls: [{ name: 'shell', arguments: { command: 'echo one' } }, { name: 'read_file', arguments: { path: 'missing.txt' } }] },
  { toolCalls: [{ name: 'shell', arguments: { command: 'echo two' } }] },
  { content: 'finished' },
];

it('--json writes JSON Lines on stdout and a progress line per turn and per tool call on stderr', async () => {
  const repo = tempRepo({ 'README.md': 'fixture\n' });
  const server = await startServer({ script: script() });
  const run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'go'], { env: { SPROUT_API_KEY: 'k' } });
  expect(run.code, run.stderr).toBe(0);
  expect(run.events.at(-1)).toMatchObject({ type: 'result', status: 'success' });
  const lines = run.stderr.split('\n');
  expect(lines.filter((l) => /^turn \d+$/.test(l))).toEqual(['turn 1', 'turn 2', 'turn 3']);
  expect(lines.filter((l) => l.startsWith('✓ shell echo'))).toHaveLength(2);
  expect(lines.some((l) => /^✗ read_file missing\.txt \(\d+ ms\) — Error: no such file/.test(l))).toBe(true);
  expect(lines.some((l) => /^─── success after 3 turns/.test(l))).toBe(true);
  // The model's text stays on stdout's events, not in the human log.
  expect(run.stderr).not.toContain('finished');
  expect(run.stderr).not.toContain('::group::');
});

it('under GITHUB_ACTIONS=true stderr has a ::group:: per turn and an ::error:: annotation for a failed run', async () => {
  const repo = tempRepo({ 'README.md': 'fixture\n' });
  let n = 0;
  const server = await startServer({ script: [() => ({ toolCalls: [{ name: 'shell', arguments: { command: `echo ${++n}` } }] })], repeatLast: true });
  const run = await runCli(['run', '--json', '--max-turns', '5', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'go'], {
    env: { SPROUT_API_KEY: 'k', GITHUB_ACTIONS: 'true' },
  });
  expect(run.code, run.stderr).toBe(3);
  const lines = run.stderr.split('\n');
  expect(lines.filter((l) => l.startsWith('::group::'))).toEqual([1, 2, 3, 4, 5].map((t) => `::group::turn ${t}`));
  expect(lines.filter((l) => l === '::endgroup::')).toHaveLength(5);
  // The limit warning at 80% and the stop are annotations the job page shows.
  expect(lines.some((l) => l.startsWith('::warning title=sprout::used 4 of 5 model requests'))).toBe(true);
  expect(lines.some((l) => l.startsWith('::error title=sprout limit::stopped after 5 model requests'))).toBe(true);
});
