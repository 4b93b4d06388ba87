// The run report of a saved session: a 40-turn run with one compaction, shown as markdown (whose
// per-request costs add up to the run's cost), as JSON, and as an HTML page that headless Chromium
// opens, with one chart point per turn and the compaction marked.
import { isSummaryRequest } from '../helpers/summary-request.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, startFakeModelServer } from '../fake-server/index.js';
import { openChromium } from '../helpers/chromium.js';
import { type CliResult, runCli } from '../helpers/run-cli.js';
import { tempDir, tempRepo } from '../helpers/temp-repo.js';
import { userConfigEnv } from '../helpers/user-config.js';

const TURNS = 40;

/** Reads a big note each turn until the conversation is compacted, then a tiny one, so it compacts exactly once. */
function reader() {
  let turns = 0;
  let compacted = false;
  return (req: RecordedRequest) => {
    if (isSummaryRequest(req)) {
      compacted = true;
      return { content: 'Task: read notes. Tried: read many notes. Files changed: notes.md. Open steps: keep reading.' };
    }
    turns++;
    if (turns === TURNS) return { content: 'read them all' };
    if (turns === TURNS - 1) return { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.md', content: 'one\ntwo\n' } }] };
    return { toolCalls: [{ name: 'read_file', arguments: { path: compacted ? `tiny${turns % 2}.txt` : `note${turns % 3}.txt` } }] };
  };
}

describe('sessions show --format', { timeout: 60_000 }, () => {
  const env = { SPROUT_API_KEY: 'k', XDG_STATE_HOME: tempDir('sprout-state-'), ...userConfigEnv({ compactAtTokens: 9000 }) };
  let run: CliResult;
  let sessionId: string;
  beforeAll(async () => {
    const repo = tempRepo({ 'note0.txt': 'x'.repeat(2000), 'note1.txt': 'y'.repeat(2000), 'note2.txt': 'z'.repeat(2000), 'tiny0.txt': 'hi\n', 'tiny1.txt': 'ho\n' });
    const server = await startFakeModelServer({ script: [reader()], repeatLast: true });
    try {
      run = await runCli(['run', '--json', '--sandbox', 'none', '--base-url', server.url, '-C', repo, 'read the notes'], { env, timeoutMs: 120_000 });
    } finally {
      await server.close();
    }
    expect(run.code, run.stderr).toBe(0);
    expect(run.events.filter((e) => e.type === 'compaction')).toHaveLength(1);
    sessionId = String(run.events.at(-1)!.session_id);
  }, 150_000);

  it('md: a row per request whose costs add up to the result cost, with totals and the diff stat', async () => {
    const md = await runCli(['sessions', 'show', sessionId, '--format', 'md'], { env });
    expect(md.code, md.stderr).toBe(0);
    const rows = md.stdout.split('\n').filter((l) => /^\| \d+( \(compaction\))? \|/.test(l));
    expect(rows).toHaveLength(TURNS + 1);
    expect(rows.filter((r) => r.includes('(compaction)'))).toHaveLength(1);
    const costs = rows.map((r) => Number(r.split('|')[6]!.trim()));
    const result = run.events.at(-1) as unknown as { cost: { amount: number; currency: string } };
    expect(result.cost.amount).toBeGreaterThan(0);
    expect(Math.abs(costs.reduce((a, b) => a + b, 0) - result.cost.amount)).toBeLessThan(1e-6 * rows.length);
    expect(md.stdout).toContain(`| turn | prompt tokens | cached | output tokens | tier | cost (${result.cost.currency}) | tool calls |`);
    expect(md.stdout).toMatch(/\| 1 \| [\d,]+ \| \d+% \| [\d,]+ \| ≤32K \| [\d.]+ \| read_file ✓ \d+ ms \|/);
    expect(md.stdout).toMatch(/\| `notes\.md` \| 2 \| 0 \|/);
    expect(md.stdout).toMatch(/\| \*\*total\*\* \|/);
  });

  it('json: the same rows and totals as data', async () => {
    const json = await runCli(['sessions', 'show', sessionId, '--format', 'json'], { env });
    const report = JSON.parse(json.stdout) as { rows: Array<{ kind: string }>; totals: { turns: number; compactions: number } };
    expect(report.totals).toMatchObject({ turns: TURNS, compactions: 1 });
    expect(report.rows.filter((r) => r.kind === 'turn')).toHaveLength(TURNS);
  });

  it('html: opens in headless Chromium, one chart point per turn per series, the compaction marked', async () => {
    const html = await runCli(['sessions', 'show', sessionId, '--format', 'html'], { env });
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const file = join(tempDir('sprout-report-'), 'report.html');
    writeFileSync(file, html.stdout);
    const browser = await openChromium();
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator('svg.chart circle.cost-point').count()).toBe(TURNS);
      expect(await page.locator('svg.chart circle.prompt-point').count()).toBe(TURNS);
      expect(await page.locator('svg.chart g.compaction').count()).toBe(1);
      expect(await page.locator('h1').innerText()).toBe('sprout run: success');
      const shot = await page.locator('svg.chart').screenshot({ path: join(tempDir('sprout-shot-'), 'chart.png') });
      expect(shot.length).toBeGreaterThan(5000);
      const page1 = await page.screenshot({ path: join(tempDir('sprout-shot-'), 'page.png'), fullPage: true });
      expect(page1.length).toBeGreaterThan(shot.length);
      expect(requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
