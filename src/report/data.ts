// The data of a run report, read from a session file: one row per model request (turns, and the
// summary requests of compactions) with tokens, price tier, cost and the tool calls it led to, the
// totals, and what the run changed. The markdown, HTML and JSON formats all render this.
import type { RunResult } from '../agent/events.js';
import { tierFor } from '../model/cost.js';
import type { ModelProfile } from '../model/profiles.js';
import type { DiffStatFile, SessionHeader, SessionRecord } from '../session/records.js';

export interface ReportTool {
  name: string;
  ok: boolean;
  duration_ms: number;
}

/** One model request. */
export interface ReportRow {
  /** 1-based turn number, or the turn a compaction ran before. */
  turn: number;
  kind: 'turn' | 'compaction';
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  tier: string;
  cost: number;
  cumulative_cost: number;
  tools: ReportTool[];
}

export interface RunReport {
  session_id: string;
  model: string;
  provider: string;
  task: string;
  created: string;
  status: string;
  currency: string;
  rows: ReportRow[];
  totals: { turns: number; compactions: number; prompt_tokens: number; cached_tokens: number; completion_tokens: number; cost: number; tool_calls: number; failed_tool_calls: number };
  diffstat: DiffStatFile[] | undefined;
  result: RunResult | undefined;
}

/** Build the report of a session from its records. */
export function buildReport(records: SessionRecord[], profile: ModelProfile): RunReport {
  const header = records[0] as SessionHeader;
  const rows: ReportRow[] = [];
  let turn = 0;
  let cumulative = 0;
  let diffstat: DiffStatFile[] | undefined;
  let result: RunResult | undefined;
  for (const record of records.slice(1)) {
    if (record.type === 'usage') {
      const kind = record.purpose === 'compaction' ? 'compaction' : 'turn';
      if (kind === 'turn') turn++;
      cumulative += record.cost;
      rows.push({
        turn: kind === 'turn' ? turn : turn + 1, kind, prompt_tokens: record.prompt_tokens, cached_tokens: record.cached_tokens,
        completion_tokens: record.completion_tokens, reasoning_tokens: record.reasoning_tokens,
        tier: tierLabel(profile, record.prompt_tokens), cost: record.cost, cumulative_cost: cumulative, tools: [],
      });
    } else if (record.type === 'tool') {
      rows.findLast((r) => r.kind === 'turn')?.tools.push({ name: record.name, ok: record.ok, duration_ms: record.duration_ms });
    } else if (record.type === 'diffstat') diffstat = record.files;
    else if (record.type === 'result') result = record.result;
  }
  const sum = (pick: (r: ReportRow) => number): number => rows.reduce((n, r) => n + pick(r), 0);
  const tools = rows.flatMap((r) => r.tools);
  return {
    session_id: header.session_id, model: header.model, provider: header.provider, task: header.task, created: header.created,
    status: result?.status ?? 'unfinished', currency: result?.cost.currency ?? profile.currency, rows, diffstat, result,
    totals: {
      turns: turn, compactions: rows.filter((r) => r.kind === 'compaction').length,
      prompt_tokens: sum((r) => r.prompt_tokens), cached_tokens: sum((r) => r.cached_tokens),
      completion_tokens: sum((r) => r.completion_tokens), cost: cumulative,
      tool_calls: tools.length, failed_tool_calls: tools.filter((t) => !t.ok).length,
    },
  };
}

/** `≤32K`, `32K-128K`, `>128K`, or `flat` for a one-tier price list. */
export function tierLabel(profile: ModelProfile, promptTokens: number): string {
  if (profile.tiers.length <= 1) return 'flat';
  const tier = tierFor(profile, promptTokens);
  const index = profile.tiers.indexOf(tier);
  const k = (n: number): string => `${Math.round(n / 1024)}K`; // tiers are set in KiB-sized steps (32K = 32768)
  if (index === 0) return `≤${k(tier.upTo)}`;
  const low = profile.tiers[index - 1]!.upTo;
  return Number.isFinite(tier.upTo) ? `${k(low)}-${k(tier.upTo)}` : `>${k(low)}`;
}

/** The share of prompt tokens served from the cache, as `37%`. */
export function cachedShare(prompt: number, cached: number): string {
  return prompt > 0 ? `${Math.round((100 * cached) / prompt)}%` : '-';
}
