// The progress comment on the triggering issue or pull request: created when the run starts,
// updated per phase, and finally replaced by the outcome with the cost, changed files and a link.
import type { RunResult } from '../../agent/events.js';
import { githubRequest, type GithubContext, repoPath } from './api.js';

export type Phase = 'started' | 'running' | 'finished';

const MARKER = '<!-- sprout-progress -->'; // lets people and tools find sprout's comment
const FILES_SHOWN = 20;

export function commentBody(phase: Phase, ctx: GithubContext, result: RunResult | undefined, exitCode?: string): string {
  const link = `[workflow run](${ctx.runUrl})`;
  if (phase === 'started') return `${MARKER}\n⏳ **sprout** is starting on this (${link}).`;
  if (phase === 'running') return `${MARKER}\n🔧 **sprout** is working on this: follow the ${link}.`;
  if (!result) return `${MARKER}\n❌ **sprout** stopped before the run began${exitCode ? ` (exit code ${exitCode})` : ''}: see the ${link}.`;
  const icon = result.status === 'success' ? '✅' : result.status === 'limit' ? '⚠️' : '❌';
  const files = result.changed_files.slice(0, FILES_SHOWN).map((f) => `- \`${f}\``);
  if (result.changed_files.length > FILES_SHOWN) files.push(`- … and ${result.changed_files.length - FILES_SHOWN} more`);
  return [
    MARKER,
    `${icon} **sprout: ${result.status}** after ${result.num_turns} turn${result.num_turns === 1 ? '' : 's'} · cost ${result.cost.amount.toFixed(4)} ${result.cost.currency} · ${link}`,
    ...(result.error ? ['', `> ${result.error.replaceAll('\n', ' ')}`] : []),
    ...(result.branch ? ['', `Branch: \`${result.branch}\``] : []),
    '',
    files.length > 0 ? `Changed files:\n${files.join('\n')}` : 'No files changed.',
  ].join('\n');
}

/** Create the comment; returns its id. */
export async function createComment(ctx: GithubContext, issue: number, body: string): Promise<number> {
  const made = await githubRequest<{ id: number }>(ctx, 'POST', repoPath(ctx, `/issues/${issue}/comments`), { body });
  return made.id;
}

export async function updateComment(ctx: GithubContext, id: string, body: string): Promise<void> {
  await githubRequest(ctx, 'PATCH', repoPath(ctx, `/issues/comments/${encodeURIComponent(id)}`), { body });
}
