// Whether the account that triggered the run may start it: anyone can comment on a public issue,
// so a paid run with write access to the repository needs write permission (or a place on the
// allowlist); bots are refused unless named.
import { githubRequest, type GithubContext, repoPath } from './api.js';
import type { TriggerInfo } from './event.js';

const WRITERS = new Set(['admin', 'maintain', 'write']);

export interface ActorPolicy {
  /** Logins allowed whatever their permission. */
  allowedUsers: string[];
  /** Bot logins allowed; `*` allows every bot. */
  allowedBots: string[];
}

export type Verdict = { allowed: true; reason: string } | { allowed: false; reason: string };

/** Split an input like "alice, bob\ncarol" into logins. */
export function loginList(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
}

export async function checkActor(ctx: GithubContext, trigger: TriggerInfo, policy: ActorPolicy): Promise<Verdict> {
  const login = trigger.actor.toLowerCase();
  if (!login) return { allowed: false, reason: 'the event names no actor' };
  if (trigger.bot) {
    const ok = policy.allowedBots.includes('*') || policy.allowedBots.includes(login) || policy.allowedBots.includes(login.replace(/\[bot\]$/, ''));
    return ok ? { allowed: true, reason: `${trigger.actor} is an allowed bot` } : { allowed: false, reason: `${trigger.actor} is a bot; list it in the allowed-bots input to let it start sprout` };
  }
  if (policy.allowedUsers.includes(login)) return { allowed: true, reason: `${trigger.actor} is in allowed-users` };
  type Answer = { permission?: string; role_name?: string };
  const answer: Answer = await githubRequest<Answer>(ctx, 'GET', repoPath(ctx, `/collaborators/${encodeURIComponent(trigger.actor)}/permission`)).catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) return { permission: 'none' };
    throw error;
  });
  const permission = answer.role_name && WRITERS.has(answer.role_name) ? answer.role_name : (answer.permission ?? 'none');
  return WRITERS.has(permission)
    ? { allowed: true, reason: `${trigger.actor} has ${permission} permission` }
    : { allowed: false, reason: `${trigger.actor} has ${permission} permission on ${ctx.owner}/${ctx.repo}; sprout needs write access (or the allowed-users input) to start` };
}
