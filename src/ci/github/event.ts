// What the triggering event says about who started the run and on which issue or pull request.
import { readFileSync } from 'node:fs';

export interface TriggerInfo {
  /** The login whose action started the run: the commenter, the labeller, the pusher. */
  actor: string;
  /** Whether that account is a bot (an app, or a login ending in [bot]). */
  bot: boolean;
  /** The issue or pull request number to comment on, if the event has one. */
  number: number | undefined;
}

interface EventPayload {
  sender?: { login?: string; type?: string };
  comment?: { user?: { login?: string; type?: string } };
  issue?: { number?: number };
  pull_request?: { number?: number };
}

export function triggerInfo(env: NodeJS.ProcessEnv): TriggerInfo {
  let event: EventPayload = {};
  try {
    if (env.GITHUB_EVENT_PATH) event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload;
  } catch {
    event = {};
  }
  const user = event.comment?.user ?? event.sender;
  const actor = user?.login ?? env.GITHUB_TRIGGERING_ACTOR ?? env.GITHUB_ACTOR ?? '';
  return {
    actor,
    bot: user?.type === 'Bot' || actor.endsWith('[bot]'),
    number: event.issue?.number ?? event.pull_request?.number,
  };
}
