// A small client for the GitHub REST API as a workflow step uses it: the base URL from
// GITHUB_API_URL (GitHub Enterprise and tests set it), the workflow's token, JSON in and out.
import { InputError, SproutError } from '../../errors.js';

/** GitHub answered with an error status (a token without the permission, a missing issue). Exit 1. */
export class GithubApiError extends SproutError {
  readonly kind = 'github';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface GithubContext {
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  /** Link to this workflow run, for comments. */
  runUrl: string;
}

/** The context of the running workflow, from the runner's environment. */
export function githubContext(env: NodeJS.ProcessEnv): GithubContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) throw new InputError('GITHUB_REPOSITORY is not set (owner/name): run this inside a GitHub Actions job');
  const token = env.GITHUB_TOKEN ?? '';
  if (!token) throw new InputError('GITHUB_TOKEN is empty: pass the github-token input (the default is the workflow token)');
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  return {
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''),
    token, owner, repo,
    runUrl: `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`,
  };
}

/** One API call; resolves to the parsed JSON answer, throws GithubApiError on an error status. */
export async function githubRequest<T>(ctx: GithubContext, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${ctx.apiUrl}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${ctx.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'sprout-action',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 200);
    try {
      detail = String((JSON.parse(text) as { message?: string }).message ?? detail);
    } catch {
      // not JSON: keep the start of the text
    }
    throw new GithubApiError(`GitHub API ${method} ${path} answered ${response.status}: ${detail}`, response.status);
  }
  return (text ? JSON.parse(text) : {}) as T;
}

/** `/repos/OWNER/REPO` + rest, with the names encoded. */
export function repoPath(ctx: GithubContext, rest: string): string {
  return `/repos/${encodeURIComponent(ctx.owner)}/${encodeURIComponent(ctx.repo)}${rest}`;
}
