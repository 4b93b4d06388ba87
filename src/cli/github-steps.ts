// The steps of `sprout github ...` (github-command.ts), run inside a GitHub Actions job: who may run,
// the progress comment, the step outputs and the pull request.
import { githubContext } from '../ci/github/api.js';
import { commentBody, createComment, type Phase, updateComment } from '../ci/github/comment.js';
import { triggerInfo } from '../ci/github/event.js';
import { actionOutputs, writeStepOutputs } from '../ci/github/outputs.js';
import { checkActor, loginList } from '../ci/github/permission.js';
import { openPullRequest } from '../ci/github/pull-request.js';
import { readRunResult } from '../ci/github/run-result.js';
import { escapeData } from '../render/github-commands.js';
import { EXIT } from './exit-codes.js';

const env = process.env;
const out = (text: string): boolean => process.stdout.write(`${text}\n`);
const setOutputs = (values: Record<string, string>): void => {
  if (env.GITHUB_OUTPUT) writeStepOutputs(env.GITHUB_OUTPUT, values);
};

export async function checkActorStep(): Promise<number> {
  const trigger = triggerInfo(env);
  const verdict = await checkActor(githubContext(env), trigger, { allowedUsers: loginList(env.IN_ALLOWED_USERS), allowedBots: loginList(env.IN_ALLOWED_BOTS) });
  setOutputs({ allowed: String(verdict.allowed) });
  if (verdict.allowed) {
    out(`sprout may run: ${verdict.reason}`);
    return EXIT.success;
  }
  out(`::error title=sprout refused::${escapeData(verdict.reason)}`);
  return EXIT.error;
}

/** A comment that cannot be written is a warning, never the reason a run fails. */
export async function commentStep(phase: Phase, opts: { id?: string; events?: string; exitCode?: string }): Promise<number> {
  const ctx = githubContext(env);
  const body = commentBody(phase, ctx, readRunResult(opts.events), opts.exitCode);
  try {
    if (phase === 'started') {
      const issue = triggerInfo(env).number;
      if (issue === undefined) {
        out('no issue or pull request in this event: no progress comment');
        return EXIT.success;
      }
      setOutputs({ 'comment-id': String(await createComment(ctx, issue, body)) });
    } else if (opts.id) {
      await updateComment(ctx, opts.id, body);
    }
  } catch (error) {
    out(`::warning title=sprout comment::${escapeData((error as Error).message)}`);
  }
  return EXIT.success;
}

export async function openPrStep(opts: { events?: string; base: string }): Promise<number> {
  const result = readRunResult(opts.events);
  if (!result?.branch) {
    out('the run committed no branch: no pull request');
    return EXIT.success;
  }
  const pull = await openPullRequest(githubContext(env), result, opts.base, triggerInfo(env).number);
  setOutputs({ 'pr-url': pull.html_url });
  out(`pull request: ${pull.html_url}`);
  return EXIT.success;
}

/** The Action's step outputs, from the run's events file. */
export function outputsStep(events: string): number {
  setOutputs(actionOutputs(readRunResult(events), events));
  return EXIT.success;
}
