// The run report as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched):
// the outcome, totals, the chart of cost and prompt size over turns, the per-request table and the
// diff stat. Every piece of text from the session is escaped.
import { costChart, escapeHtml } from './chart.js';
import { cachedShare, type RunReport } from './data.js';
import { formatReportCost, toolsCell } from './markdown.js';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:980px;color:#222;padding:0 16px}
table{border-collapse:collapse;width:100%;margin:12px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}
th:last-child,td:last-child,td.text{text-align:left}tr.compaction{background:#fff4e6}.status-success{color:#2b8a3e}
.status-error,.status-limit,.status-interrupted,.status-unfinished{color:#c92a2a}pre{white-space:pre-wrap;background:#f6f6f6;padding:8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}dt{color:#666}`;

export function reportHtml(report: RunReport): string {
  const t = report.totals;
  const r = report.result;
  const e = escapeHtml;
  const facts: Array<[string, string]> = [
    ['model', `${report.model} (${report.provider})`],
    ['started', report.created],
    ['turns', `${t.turns}${t.compactions ? `, ${t.compactions} compaction${t.compactions === 1 ? '' : 's'}` : ''}`],
    ['tokens', `${t.prompt_tokens.toLocaleString('en-US')} in (${cachedShare(t.prompt_tokens, t.cached_tokens)} cached), ${t.completion_tokens.toLocaleString('en-US')} out`],
    ['cost', `${formatReportCost(t.cost)} ${report.currency}`],
    ['tool calls', `${t.tool_calls} (${t.failed_tool_calls} failed)`],
  ];
  if (r) facts.push(['duration', `${(r.duration_ms / 1000).toFixed(1)} s`]);
  if (r?.error) facts.push(['stopped by', r.error]);
  const rows = report.rows
    .map((row) => `<tr class="${row.kind}"><td>${row.turn}${row.kind === 'compaction' ? ' (compaction)' : ''}</td><td>${row.prompt_tokens.toLocaleString('en-US')}</td><td>${cachedShare(row.prompt_tokens, row.cached_tokens)}</td><td>${row.completion_tokens.toLocaleString('en-US')}</td><td>${e(row.tier)}</td><td>${formatReportCost(row.cost)}</td><td>${e(toolsCell(row.tools))}</td></tr>`)
    .join('\n');
  const diff = report.diffstat
    ? `<h2>Diff stat</h2><table><tr><th>file</th><th>added</th><th>removed</th></tr>${report.diffstat.map((f) => `<tr><td class="text"><code>${e(f.path)}</code></td><td>${f.added ?? 'binary'}</td><td>${f.removed ?? 'binary'}</td></tr>`).join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sprout run ${e(report.session_id)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${CSS}</style></head><body>
<h1>sprout run: <span class="status-${e(report.status)}">${e(report.status)}</span></h1>
<p><code>${e(report.session_id)}</code></p>
<h2>Task</h2><pre>${e(report.task)}</pre>
<dl>${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>
<h2>Cost and prompt size</h2>
${costChart(report.rows, report.currency)}
<h2>Turns</h2>
<table><tr><th>turn</th><th>prompt tokens</th><th>cached</th><th>output tokens</th><th>tier</th><th>cost (${e(report.currency)})</th><th>tool calls</th></tr>
${rows}
<tr><th>total</th><th>${t.prompt_tokens.toLocaleString('en-US')}</th><th>${cachedShare(t.prompt_tokens, t.cached_tokens)}</th><th>${t.completion_tokens.toLocaleString('en-US')}</th><th></th><th>${formatReportCost(t.cost)}</th><th>${t.tool_calls}</th></tr></table>
${diff}
${r?.final_message ? `<h2>Final message</h2><pre>${e(r.final_message)}</pre>` : ''}
</body></html>
`;
}
