// The eval report: one row per instance (resolved or not and why, the run's status, turns, tokens,
// cost and time) and the totals, as eval-report.json for machines and eval-report.md for people.
// Shard reports merge into the same shape (`sprout eval report --merge`).
import type { Grade } from './grade.js';

export interface EvalRow {
  instance_id: string;
  resolved: boolean;
  reason: string;
  /** How the model's run ended: success, error, limit, interrupted, or pending when it never ran. */
  run_status: string;
  turns: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost: number;
  currency: string;
  /** The model's run, then grading. */
  run_ms: number;
  grade_ms: number;
  fail_to_pass: Grade['fail_to_pass'];
  pass_to_pass: Grade['pass_to_pass'];
}

export interface EvalTotals {
  instances: number;
  resolved: number;
  /** resolved / instances, 0..1. */
  resolve_rate: number;
  cost: number;
  currency: string;
  turns: number;
  run_ms: number;
}

export interface EvalReport {
  model: string;
  totals: EvalTotals;
  instances: EvalRow[];
}

export function buildReport(model: string, rows: EvalRow[]): EvalReport {
  const sorted = [...rows].sort((a, b) => (a.instance_id < b.instance_id ? -1 : a.instance_id > b.instance_id ? 1 : 0));
  const resolved = sorted.filter((r) => r.resolved).length;
  return {
    model,
    totals: {
      instances: sorted.length,
      resolved,
      resolve_rate: sorted.length === 0 ? 0 : resolved / sorted.length,
      cost: round(sorted.reduce((sum, r) => sum + r.cost, 0)),
      currency: sorted[0]?.currency ?? 'CNY',
      turns: sorted.reduce((sum, r) => sum + r.turns, 0),
      run_ms: sorted.reduce((sum, r) => sum + r.run_ms, 0),
    },
    instances: sorted,
  };
}

/** Reports of shards (or of runs to pool) as one. */
export function mergeEvalReports(reports: EvalReport[]): EvalReport {
  const rows = new Map<string, EvalRow>();
  for (const report of reports) for (const row of report.instances) rows.set(row.instance_id, row);
  return buildReport(reports[0]?.model ?? '', [...rows.values()]);
}

export function reportMarkdown(report: EvalReport, title: string): string {
  const t = report.totals;
  const lines = [
    `# ${title}`,
    '',
    `**${t.resolved}/${t.instances} resolved (${(100 * t.resolve_rate).toFixed(1)}%)** with ${report.model || 'the model'} · ` +
      `cost ${t.cost.toFixed(4)} ${t.currency} · ${t.turns} turns · ${(t.run_ms / 1000).toFixed(1)} s of runs`,
    '',
    '| instance | resolved | reason | run | turns | cost | time |',
    '|---|---|---|---|---|---|---|',
    ...report.instances.map((r) =>
      `| ${r.instance_id} | ${r.resolved ? 'yes' : 'no'} | ${r.reason.replaceAll('|', '\\|')} | ${r.run_status} | ${r.turns} | ${r.cost.toFixed(4)} | ${((r.run_ms + r.grade_ms) / 1000).toFixed(1)} s |`,
    ),
    '',
  ];
  return lines.join('\n');
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
