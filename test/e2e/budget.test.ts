// --max-cost stops a run before a request would overspend, exit 3, and --resume continues it with a
// new budget. Costs are checked against the profile's tier prices computed by hand.
import { expect, it } from 'vitest';
import { fakeServerPerTest } from '../helpers/fake-server-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';

const startServer = fakeServerPerTest();

it('stops before overspending with exit 3 and a warning, then resumes with a new budget', async () => {
  const repo = tempRepo({ 'a.txt': 'a\n' });
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-') };
  const big = { prompt_tokens: 100_000, cached_tokens: 0, completion_tokens: 1000, reasoning_tokens: 0 };
  const server = await startServer({
    script: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }], usage: big }, { content: 'done' }],
  });
  // 100K prompt tokens sit in the 32K-128K tier: 1.4 in, 12 out per 1M tokens (CNY).
  const firstCost = (100_000 * 1.4 + 1000 * 12) / 1e6;
  const first = await runCli(['run', '--json', '--max-cost', '0.17', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'read a'], { env });
  expect(first.code, first.stderr).toBe(3);
  expect(server.requests).toHaveLength(1);
  const stopped = first.events.at(-1)!;
  expect(stopped).toMatchObject({ status: 'limit', cost: { currency: 'CNY' } });
  expect((stopped.cost as { amount: number }).amount).toBeCloseTo(firstCost, 10);
  expect(String(stopped.error)).toContain('stopped before spending more than 0.17 CNY (--max-cost)');
  expect(first.events.find((e) => e.type === 'warning' && String(e.message).includes('of the 0.17 CNY budget'))).toBeDefined();

  const second = await runCli(['run', '--json', '--resume', 'last', '--max-cost', '1', '--sandbox', 'none', '--base-url', server.url], { cwd: repo, env });
  expect(second.code, second.stderr).toBe(0);
  server.assertDone();
  const usage = server.requests[1]!.usage!;
  const cached = usage.prompt_tokens_details.cached_tokens;
  const secondCost = ((usage.prompt_tokens - cached) * 1.2 + cached * 0.24 + usage.completion_tokens * 8) / 1e6;
  expect((second.events.at(-1)!.cost as { amount: number }).amount).toBeCloseTo(firstCost + secondCost, 10);
});
