// eval-report.html: the eval report as one self-contained page — the resolve rate, an inline SVG bar
// per instance (its cost, coloured by resolved or not) and the table. No scripts, no external assets.
import type { EvalReport } from './report.js';

const BAR_WIDTH = 28; // px per instance in the chart
const CHART_HEIGHT = 120; // px of the tallest bar

export function reportHtml(report: EvalReport, title: string): string {
  const t = report.totals;
  const rows = report.instances
    .map((r) => `<tr><td>${esc(r.instance_id)}</td><td>${r.resolved ? '✓' : '✗'}</td><td>${esc(r.reason)}</td><td>${esc(r.run_status)}</td><td>${r.turns}</td><td>${r.cost.toFixed(4)}</td><td>${((r.run_ms + r.grade_ms) / 1000).toFixed(1)} s</td></tr>`)
    .join('\n');
  return [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${esc(title)}</title>`,
    '<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head><body>',
    `<h1>${esc(title)}</h1>`,
    `<p><strong>${t.resolved}/${t.instances} resolved (${(100 * t.resolve_rate).toFixed(1)}%)</strong> with ${esc(report.model)} · cost ${t.cost.toFixed(4)} ${esc(t.currency)} · ${t.turns} turns</p>`,
    chart(report),
    '<table><tr><th>instance</th><th>resolved</th><th>reason</th><th>run</th><th>turns</th><th>cost</th><th>time</th></tr>',
    rows,
    '</table></body></html>',
    '',
  ].join('\n');
}

/** Cost per instance as bars: green resolved, red not; each bar's title names the instance. */
function chart(report: EvalReport): string {
  const max = Math.max(...report.instances.map((r) => r.cost), 1e-9);
  const bars = report.instances.map((r, i) => {
    const h = Math.max(2, Math.round((r.cost / max) * CHART_HEIGHT));
    return `<rect x="${i * BAR_WIDTH + 4}" y="${CHART_HEIGHT - h}" width="${BAR_WIDTH - 8}" height="${h}" fill="${r.resolved ? '#2a2' : '#c33'}"><title>${esc(r.instance_id)}: ${r.cost.toFixed(4)} (${r.resolved ? 'resolved' : 'not resolved'})</title></rect>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="cost per instance" width="${report.instances.length * BAR_WIDTH + 8}" height="${CHART_HEIGHT}">${bars.join('')}</svg>`;
}

function esc(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
