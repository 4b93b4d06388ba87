// --max-cost covers every request, a compaction's summary included: when a compaction is due and its
// summary would pass the budget, the run stops with status limit before sending it.
import { expect, it } from 'vitest';
import { type RecordedRequest, type ScriptedTurn } from '../fake-server/index.js';
import { isSummaryRequest } from '../helpers/summary-request.js';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const startServer = fakeServerPerTest();


/** Reads notes until it has read 12; a summary request gets a long (expensive) summary. */
function reader(): (req: RecordedRequest) => ScriptedTurn {
  let done = 0;
  return (req) => {
    if (isSummaryRequest(req)) return { content: 'Task: read notes. Open steps: read the rest.', usage: { completion_tokens: 4000 } };
    if (done >= 12) return { content: 'read them all' };
    return { toolCalls: [{ name: 'read_file', arguments: { path: `note${done++ % 3}.txt` } }] };
  };
}

const notes = { 'note0.txt': 'x'.repeat(2000), 'note1.txt': 'y'.repeat(2000), 'note2.txt': 'z'.repeat(2000) };
const cost = (e: Record<string, unknown>) => Number(e.cost);

it('with --max-cost just above the spend when a compaction is due, the summary is not sent and the run stops at the limit', async () => {
  const repo = tempRepo(notes);
  const config = userConfigEnv({ compactAtTokens: 9000 });
  const args = (url: string, extra: string[]) => ['run', '--json', '--sandbox', 'none', '--base-url', url, '-C', repo, ...extra, 'read the notes'];

  // Without a budget: where the compaction comes, and what was spent before it.
  const probeServer = await startServer({ script: [reader()], repeatLast: true });
  const probe = await runCli(args(probeServer.url, []), { env: { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-'), ...config } });
  expect(probe.code, probe.stderr).toBe(0);
  const summaryAt = probe.events.findIndex((e) => e.type === 'usage' && e.purpose === 'compaction');
  expect(summaryAt).toBeGreaterThan(0);
  const before = probe.events.slice(0, summaryAt).filter((e) => e.type === 'usage');
  const spentBefore = before.reduce((sum, e) => sum + cost(e), 0);
  const summaryCost = cost(probe.events[summaryAt]!);
  expect(summaryCost).toBeGreaterThan(0.02);

  // The same run with a budget that covers those turns, but not the summary.
  const maxCost = Number((spentBefore + 0.01).toFixed(6));
  const server = await startServer({ script: [reader()], repeatLast: true });
  const run = await runCli(args(server.url, ['--max-cost', String(maxCost)]), { env: { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-'), ...config } });
  expect(run.code, run.stderr).toBe(3);
  expect(server.requests.filter(isSummaryRequest)).toHaveLength(0);
  expect(server.requests).toHaveLength(before.length);
  const result = run.events.at(-1)!;
  expect(result).toMatchObject({ type: 'result', status: 'limit', num_turns: before.length });
  expect(String(result.error)).toMatch(/stopped before spending more than .* \(--max-cost\).*compaction summary/);
  const spent = run.events.filter((e) => e.type === 'usage').reduce((sum, e) => sum + cost(e), 0);
  expect(spent).toBeLessThanOrEqual(maxCost);
  expect((result.cost as { amount: number }).amount).toBeCloseTo(spent, 10);
}, 60_000);
