// The batch report: one row per task (status, turns, tokens, cached share, cost, duration, files
// changed, branch or patch), written as report.jsonl for machines and report.md for people. The
// same rows are what `sprout batch report DIR...` merges across shards.
import { existsSync, statSync } from 'node:fs';
import type { TaskRecord, TaskStatus } from './state.js';

/** A task's status in a report: its state, or `skipped-budget` for one the batch budget kept back. */
export type ReportStatus = TaskStatus | 'skipped-budget';

/** One line of report.jsonl. */
export interface ReportRow {
  id: string;
  status: ReportStatus;
  cwd: string;
  turns: number;
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  /** cached_tokens / prompt_tokens, 0 when there were none. */
  cached_share: number;
  cost: number;
  currency: string;
  duration_ms: number;
  files_changed: number;
  changed_files: string[];
  branch?: string;
  commit?: string;
  patch?: string;
  session_id?: string;
  error?: string;
}

const FAILED: ReadonlySet<ReportStatus> = new Set(['error', 'limit', 'interrupted']);

/** A task's row from its state record; `skipped` marks one the budget kept from starting. */
export function reportRow(record: TaskRecord, skipped: boolean): ReportRow {
  const r = record.result;
  const usage = r?.usage ?? { prompt_tokens: 0, cached_tokens: 0, completion_tokens: 0, reasoning_tokens: 0 };
  const patch = r?.patch_file && existsSync(r.patch_file) && statSync(r.patch_file).size > 0 ? r.patch_file : undefined;
  return {
    id: record.id,
    status: record.status === 'pending' && skipped ? 'skipped-budget' : record.status,
    cwd: record.cwd,
    turns: r?.num_turns ?? 0,
    prompt_tokens: usage.prompt_tokens,
    cached_tokens: usage.cached_tokens,
    completion_tokens: usage.completion_tokens,
    cached_share: usage.prompt_tokens > 0 ? usage.cached_tokens / usage.prompt_tokens : 0,
    cost: r?.cost.amount ?? 0,
    currency: r?.cost.currency ?? '',
    duration_ms: record.duration_ms,
    files_changed: r?.changed_files.length ?? 0,
    changed_files: r?.changed_files ?? [],
    ...(r?.branch ? { branch: r.branch, commit: r.commit } : {}),
    ...(patch ? { patch } : {}),
    ...(record.session_id ? { session_id: record.session_id } : {}),
    ...(record.status !== 'success' && (record.error ?? r?.error) ? { error: record.error ?? r?.error } : {}),
  };
}

/** Counts per status, total cost, and the exit code the rows call for. */
export function summarizeRows(rows: ReportRow[]): { counts: Record<string, number>; cost: number; currency: string; failed: number; exitCode: number } {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  const failed = rows.filter((row) => FAILED.has(row.status)).length;
  const unfinished = rows.filter((row) => row.status !== 'success' && !FAILED.has(row.status)).length;
  const cost = rows.reduce((sum, row) => sum + row.cost, 0);
  const currency = rows.find((row) => row.currency !== '')?.currency ?? '';
  // Any failure is exit 1; otherwise tasks left undone (budget) are a limit, exit 3.
  return { counts, cost, currency, failed, exitCode: failed > 0 ? 1 : unfinished > 0 ? 3 : 0 };
}

/** report.jsonl: one row per line. */
export function reportJsonl(rows: ReportRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/** report.md: a table of the tasks, the totals, and why each failed task failed. */
export function reportMarkdown(rows: ReportRow[], title: string): string {
  const summary = summarizeRows(rows);
  const tokens = rows.reduce((sum, row) => sum + row.prompt_tokens + row.completion_tokens, 0);
  const counts = Object.entries(summary.counts).map(([status, n]) => `${n} ${status}`).join(', ');
  const lines = [
    `## ${title}`,
    '',
    `${rows.length} tasks: ${counts} · ${formatInt(tokens)} tokens · cost ${formatCost(summary.cost, summary.currency)}`,
    '',
    '| task | status | turns | tokens | cached | cost | duration | files changed | output |',
    '|---|---|--:|--:|--:|--:|--:|--:|---|',
    ...rows.map(tableRow),
  ];
  const failures = rows.filter((row) => row.error);
  if (failures.length > 0) {
    lines.push('', '### Failed tasks', '', ...failures.map((row) => `- **${cell(row.id)}** (${row.status}): ${oneLine(row.error ?? '')}`));
  }
  return `${lines.join('\n')}\n`;
}

function tableRow(row: ReportRow): string {
  const output = row.branch ? `\`${row.branch}\`` : row.patch ? `\`${row.patch}\`` : '-';
  const cells = [
    cell(row.id), row.status, String(row.turns), formatInt(row.prompt_tokens + row.completion_tokens),
    `${Math.round(row.cached_share * 100)}%`, formatCost(row.cost, row.currency), `${(row.duration_ms / 1000).toFixed(1)} s`,
    String(row.files_changed), cell(output),
  ];
  return `| ${cells.join(' | ')} |`;
}

function formatInt(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatCost(amount: number, currency: string): string {
  return `${amount.toFixed(4)}${currency ? ` ${currency}` : ''}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
