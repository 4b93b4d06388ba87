// `sprout eval report A B`: two runs of (mostly) the same instances side by side — which each
// resolved, what changed, and the totals — for choosing between models or endpoints.
import type { EvalReport, EvalRow } from './report.js';

export interface Comparison {
  a: { model: string; resolved: number; instances: number; cost: number };
  b: { model: string; resolved: number; instances: number; cost: number };
  /** Per instance in either run: resolved in A and in B (null when the run lacks it). */
  instances: Array<{ instance_id: string; a: boolean | null; b: boolean | null; change: 'fixed' | 'regressed' | 'same' | 'only-a' | 'only-b' }>;
}

export function compareReports(a: EvalReport, b: EvalReport): Comparison {
  const byId = (r: EvalReport) => new Map(r.instances.map((row) => [row.instance_id, row]));
  const left = byId(a);
  const right = byId(b);
  const ids = [...new Set([...left.keys(), ...right.keys()])].sort();
  return {
    a: side(a),
    b: side(b),
    instances: ids.map((id) => {
      const x = left.get(id);
      const y = right.get(id);
      return { instance_id: id, a: x?.resolved ?? null, b: y?.resolved ?? null, change: change(x, y) };
    }),
  };
}

export function comparisonMarkdown(c: Comparison, names: [string, string]): string {
  const mark = (v: boolean | null) => (v === null ? '-' : v ? 'yes' : 'no');
  return [
    `# sprout eval: ${names[0]} vs ${names[1]}`,
    '',
    `A (${c.a.model}): ${c.a.resolved}/${c.a.instances} resolved, cost ${c.a.cost.toFixed(4)} · B (${c.b.model}): ${c.b.resolved}/${c.b.instances} resolved, cost ${c.b.cost.toFixed(4)}`,
    '',
    '| instance | A | B | change |',
    '|---|---|---|---|',
    ...c.instances.map((r) => `| ${r.instance_id} | ${mark(r.a)} | ${mark(r.b)} | ${r.change} |`),
    '',
  ].join('\n');
}

function side(r: EvalReport): Comparison['a'] {
  return { model: r.model, resolved: r.totals.resolved, instances: r.totals.instances, cost: r.totals.cost };
}

function change(x: EvalRow | undefined, y: EvalRow | undefined): Comparison['instances'][number]['change'] {
  if (!x) return 'only-b';
  if (!y) return 'only-a';
  if (x.resolved === y.resolved) return 'same';
  return y.resolved ? 'fixed' : 'regressed';
}
