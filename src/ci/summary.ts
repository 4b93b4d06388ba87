// The texts a CI job publishes about a run: a commit message from the model's own summary, and a
// markdown report for --summary-out and $GITHUB_STEP_SUMMARY.
import type { RunResult } from '../agent/events.js';
import { proofWords } from './proof-words.js';

const SUBJECT_CHARS = 72;

/** A commit message: the summary's first line as the subject, the rest as the body. */
export function commitMessage(finalMessage: string, task: string | undefined): string {
  const lines = finalMessage.split('\n').map((l) => l.replace(/^#+\s*|^\s*[-*]\s+|\*\*/g, '').trim());
  const first = lines.find((l) => l !== '') ?? `sprout: ${(task ?? 'changes').split('\n')[0]}`;
  const subject = first.length > SUBJECT_CHARS ? `${first.slice(0, SUBJECT_CHARS - 1)}…` : first;
  const body = finalMessage.trim().split('\n').slice(1).join('\n').trim();
  return `${subject}\n\n${body ? `${body}\n\n` : ''}Made by sprout in an unattended run.\n`;
}

/** A markdown report of a run for people reading CI results. */
export function summaryMarkdown(result: RunResult, extras: { patch?: string; branch?: string; commit?: string } = {}): string {
  const u = result.usage;
  const cachedShare = u.prompt_tokens > 0 ? `${Math.round((100 * u.cached_tokens) / u.prompt_tokens)}%` : '-';
  const rows = [
    ['status', result.status + (result.error ? ` — ${result.error}` : '')],
    ['turns', String(result.num_turns)],
    ['tokens', `${u.prompt_tokens.toLocaleString('en-US')} in (${cachedShare} cached), ${u.completion_tokens.toLocaleString('en-US')} out`],
    ['cost', `${result.cost.amount.toFixed(4)} ${result.cost.currency}`],
    ['duration', `${(result.duration_ms / 1000).toFixed(1)} s`],
  ];
  if (result.verification) {
    const v = result.verification;
    rows.push(['tests', `\`${v.command}\` exited ${v.exit_code}${v.passed !== undefined ? ` (${v.passed} passed, ${v.failed ?? 0} failed)` : ''}`]);
  }
  if (result.evidence) rows.push(['proof', proofWords(result.evidence)]);
  if (extras.branch) rows.push(['branch', `\`${extras.branch}\`${extras.commit ? ` at ${extras.commit.slice(0, 12)}` : ''}`]);
  if (extras.patch) rows.push(['patch', `\`${extras.patch}\``]);
  const files = result.changed_files.length > 0 ? result.changed_files.map((f) => `- \`${f}\``).join('\n') : 'No files changed.';
  return [
    `## sprout: ${result.status}`,
    '',
    result.final_message.trim() || '_The model gave no summary._',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v!.replaceAll('|', '\\|').replaceAll('\n', ' ')} |`),
    '',
    '### Changed files',
    '',
    files,
    '',
    ...(result.structured_output === undefined ? [] : ['### Structured output', '', '```json', JSON.stringify(result.structured_output, null, 2), '```', '']),
  ].join('\n');
}
