// Opening the pull request for the branch a run committed on (the branch is pushed by the Action's
// step before this): reuses an open one for the same branch, so a second run updates it.
import type { RunResult } from '../../agent/events.js';
import { commitMessage } from '../summary.js';
import { githubRequest, type GithubContext, repoPath } from './api.js';

interface Pull {
  number: number;
  html_url: string;
}

export async function openPullRequest(ctx: GithubContext, result: RunResult, base: string, issue: number | undefined): Promise<Pull> {
  if (!result.branch) throw new Error('the run made no branch to open a pull request for');
  const open = await githubRequest<Pull[]>(ctx, 'GET', repoPath(ctx, `/pulls?state=open&head=${encodeURIComponent(`${ctx.owner}:${result.branch}`)}`));
  if (open[0]) return open[0];
  const message = commitMessage(result.final_message, undefined);
  const [title, ...rest] = message.split('\n');
  const body = `${rest.join('\n').trim()}\n${issue ? `\nCloses #${issue}\n` : ''}`;
  return githubRequest<Pull>(ctx, 'POST', repoPath(ctx, '/pulls'), { title, head: result.branch, base, body, maintainer_can_modify: true });
}
