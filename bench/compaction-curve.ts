// Where to compact, measured: the same 62-turn doubao-seed-code session (each turn reads an 8 KB file
// and answers with ~1.2 KB of reasoning and text, so the output-price tiers show) run with each
// --compact-at threshold; cost and compactions per threshold. A fake server sees money, not fidelity.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest } from '../test/fake-server/index.js';
import { benchRepo, benchState, runCli, type BenchModel } from './cli-runs.js';

const TURNS = 62;
const THRESHOLDS = [30_000, 60_000, 90_000, 120_000, undefined];
const NO_COMPACTION = 10_000_000; // above any window: never compacts

const isSummary = (req: RecordedRequest) => req.body.tool_choice === 'none' || (!req.body.tools && String(req.body.messages?.[0]?.content).includes('summarise'));

const model: BenchModel = (i, req) => {
  if (isSummary(req)) return { content: `Summary of the work so far. ${'Facts kept for the rest of the task. '.repeat(50)}` };
  const reasoning = `Turn ${i}: ${'thinking about what the file says and what to read next. '.repeat(18)}`;
  if (i >= TURNS - 1) return { reasoning, content: 'Read every part.' };
  return { reasoning, content: `Reading part ${i % 8}.`, toolCalls: [{ name: 'read_file', arguments: { path: `parts/part${i % 8}.txt` } }] };
};

export interface CurvePoint {
  threshold: string;
  cost: number;
  compactions: number;
}

export async function compactionCurve(): Promise<CurvePoint[]> {
  const repo = benchRepo();
  mkdirSync(join(repo, 'parts'));
  for (let p = 0; p < 8; p++) {
    writeFileSync(join(repo, 'parts', `part${p}.txt`), Array.from({ length: 100 }, (_, l) => `part ${p} line ${l}: ${'data '.repeat(14)}`).join('\n'));
  }
  const points: CurvePoint[] = [];
  for (const threshold of THRESHOLDS) {
    const state = benchState();
    try {
      let turn = 0;
      const counted: BenchModel = (_i, req) => model(isSummary(req) ? -1 : turn++, req);
      const run = await runCli(counted, ['--sandbox', 'none', '--max-turns', String(TURNS + 5), '--compact-at', String(threshold ?? NO_COMPACTION)], { repo, state: state.dir });
      points.push({
        threshold: threshold === undefined ? 'none' : `${threshold / 1000}K`,
        cost: Number((run.result.cost as { amount: number }).amount),
        compactions: run.events.filter((e) => e.type === 'compaction').length,
      });
    } finally {
      state.remove();
    }
  }
  return points;
}
