// The run report as markdown: the CI summary (status, final message, totals, changed files) followed
// by a per-request table and the diff stat. Used by `sessions show --format md`, --summary-out and
// $GITHUB_STEP_SUMMARY.
import { summaryMarkdown } from '../ci/summary.js';
import type { RunResult } from '../agent/events.js';
import { cachedShare, type ReportRow, type ReportTool, type RunReport } from './data.js';

const TOOLS_PER_CELL = 8; // a turn's tool list is cut here in the table; the total stays right

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const n = (value: number): string => value.toLocaleString('en-US');

/** Costs with six decimals, so that the rows of a cheap run still add up to its total. */
export function formatReportCost(amount: number): string {
  return amount.toFixed(6);
}

export function reportMarkdown(report: RunReport, result: RunResult | undefined = report.result): string {
  const head = result
    ? summaryMarkdown(result, { patch: result.patch_file, branch: result.branch, commit: result.commit })
    : `## sprout: ${report.status}\n\n_The session has no result yet (the run was interrupted or is still going)._\n`;
  return [head, turnsTable(report), diffStat(report), ''].join('\n');
}

function turnsTable(report: RunReport): string {
  const t = report.totals;
  const lines = [
    '### Turns',
    '',
    `| turn | prompt tokens | cached | output tokens | tier | cost (${report.currency}) | tool calls |`,
    '|---:|---:|---:|---:|---|---:|---|',
    ...report.rows.map(row),
    `| **total** | **${n(t.prompt_tokens)}** | **${cachedShare(t.prompt_tokens, t.cached_tokens)}** | **${n(t.completion_tokens)}** | | **${formatReportCost(t.cost)}** | **${t.tool_calls}** (${t.failed_tool_calls} failed) |`,
    '',
  ];
  return lines.join('\n');
}

function row(r: ReportRow): string {
  const turn = r.kind === 'compaction' ? `${r.turn} (compaction)` : String(r.turn);
  return `| ${turn} | ${n(r.prompt_tokens)} | ${cachedShare(r.prompt_tokens, r.cached_tokens)} | ${n(r.completion_tokens)} | ${r.tier} | ${formatReportCost(r.cost)} | ${cell(toolsCell(r.tools))} |`;
}

/** `shell ✓ 1.2 s, read_file ✗ 3 ms`. */
export function toolsCell(tools: ReportTool[]): string {
  const shown = tools.slice(0, TOOLS_PER_CELL).map((t) => `${t.name} ${t.ok ? '✓' : '✗'} ${ms(t.duration_ms)}`);
  if (tools.length > TOOLS_PER_CELL) shown.push(`+${tools.length - TOOLS_PER_CELL} more`);
  return shown.join(', ');
}

function ms(value: number): string {
  return value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`;
}

function diffStat(report: RunReport): string {
  if (!report.diffstat) return '';
  if (report.diffstat.length === 0) return '### Diff stat\n\nNo changes.\n';
  const count = (v: number | null): string => (v === null ? 'binary' : String(v));
  const added = report.diffstat.reduce((s, f) => s + (f.added ?? 0), 0);
  const removed = report.diffstat.reduce((s, f) => s + (f.removed ?? 0), 0);
  return [
    '### Diff stat',
    '',
    '| file | added | removed |',
    '|---|---:|---:|',
    ...report.diffstat.map((f) => `| \`${cell(f.path)}\` | ${count(f.added)} | ${count(f.removed)} |`),
    `| **${report.diffstat.length} files** | **+${added}** | **-${removed}** |`,
    '',
  ].join('\n');
}
