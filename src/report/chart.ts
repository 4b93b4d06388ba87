// The report's picture, as inline SVG (no script, no network): cumulative cost and prompt size over
// the turns, one point per turn for each, each series scaled to its own axis, compactions marked as
// dashed vertical lines where they ran.
import type { ReportRow } from './data.js';

const W = 760; // drawing size in SVG units
const H = 300;
const PAD = { left: 64, right: 70, top: 24, bottom: 40 };

/** Escape text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export function costChart(rows: ReportRow[], currency: string): string {
  const turns = rows.filter((r) => r.kind === 'turn');
  if (turns.length === 0) return '<p>No model requests.</p>';
  const maxTurn = Math.max(...turns.map((r) => r.turn));
  const maxCost = Math.max(...turns.map((r) => r.cumulative_cost), 1e-9);
  const maxPrompt = Math.max(...turns.map((r) => r.prompt_tokens), 1);
  const x = (turn: number): number => PAD.left + ((turn - 1) / Math.max(1, maxTurn - 1)) * (W - PAD.left - PAD.right);
  const y = (value: number, max: number): number => H - PAD.bottom - (value / max) * (H - PAD.top - PAD.bottom);
  const path = (pick: (r: ReportRow) => number, max: number): string =>
    turns.map((r, i) => `${i === 0 ? 'M' : 'L'}${x(r.turn).toFixed(1)},${y(pick(r), max).toFixed(1)}`).join(' ');
  const points = (cls: string, pick: (r: ReportRow) => number, max: number, label: (r: ReportRow) => string): string =>
    turns
      .map((r) => `<circle class="${cls}" data-turn="${r.turn}" cx="${x(r.turn).toFixed(1)}" cy="${y(pick(r), max).toFixed(1)}" r="3"><title>${escapeHtml(label(r))}</title></circle>`)
      .join('');
  const compactions = rows
    .filter((r) => r.kind === 'compaction')
    .map((r) => {
      const at = x(Math.max(1, r.turn - 0.5)).toFixed(1);
      return `<g class="compaction" data-turn="${r.turn}"><line x1="${at}" x2="${at}" y1="${PAD.top}" y2="${H - PAD.bottom}"/><text x="${at}" y="${PAD.top - 8}">compaction</text></g>`;
    })
    .join('');
  const axis = (value: number, max: number, side: 'left' | 'right', fmt: (v: number) => string): string => {
    const tx = side === 'left' ? PAD.left - 6 : W - PAD.right + 6;
    return `<text class="axis ${side}" x="${tx}" y="${y(value, max).toFixed(1)}">${escapeHtml(fmt(value))}</text>`;
  };
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="cumulative cost and prompt size per turn">
<style>.cost{stroke:#d9480f;fill:none;stroke-width:2}.prompt{stroke:#1c7ed6;fill:none;stroke-width:2}.cost-point{fill:#d9480f}.prompt-point{fill:#1c7ed6}
.compaction line{stroke:#555;stroke-dasharray:4 3}.compaction text{font:11px sans-serif;text-anchor:middle;fill:#333}.axis{font:11px sans-serif;fill:#444;dominant-baseline:middle}
.axis.left{text-anchor:end}.frame{stroke:#bbb;fill:none}.label{font:12px sans-serif;fill:#222}</style>
<rect class="frame" x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}"/>
${axis(0, maxCost, 'left', () => '0')}${axis(maxCost, maxCost, 'left', (v) => v.toFixed(4))}${axis(0, maxPrompt, 'right', () => '0')}${axis(maxPrompt, maxPrompt, 'right', (v) => `${Math.round(v / 1000)}K tok`)}
<text class="label" x="${PAD.left}" y="${H - 12}">turn 1</text><text class="label" x="${W - PAD.right}" y="${H - 12}" text-anchor="end">turn ${maxTurn}</text>
<text class="label" x="${W / 2}" y="${H - 12}" text-anchor="middle"><tspan fill="#d9480f">● cumulative cost (${escapeHtml(currency)})</tspan>  <tspan fill="#1c7ed6">● prompt tokens</tspan></text>
<path class="prompt" d="${path((r) => r.prompt_tokens, maxPrompt)}"/><path class="cost" d="${path((r) => r.cumulative_cost, maxCost)}"/>
${points('prompt-point', (r) => r.prompt_tokens, maxPrompt, (r) => `turn ${r.turn}: ${r.prompt_tokens} prompt tokens`)}
${points('cost-point', (r) => r.cumulative_cost, maxCost, (r) => `turn ${r.turn}: ${r.cumulative_cost.toFixed(6)} ${currency} so far`)}
${compactions}
</svg>`;
}
