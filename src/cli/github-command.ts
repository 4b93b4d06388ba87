// `sprout github STEP`: the GitHub Action's logic as small commands that action.yml calls, so that it
// runs (and is tested) as code rather than as inline shell: the actor check, the progress comment,
// the step outputs and the pull request. Each reads the runner's environment (GITHUB_*).
import { type Command, Option } from 'commander';
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

async function checkActorStep(): Promise<number> {
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
async function commentStep(phase: Phase, opts: { id?: string; events?: string; exitCode?: string }): Promise<number> {
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

async function openPrStep(opts: { events?: string; base: string }): Promise<number> {
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

export function defineGithubCommand(program: Command, setExit: (code: number) => void): void {
  const github = program.command('github').description('steps of the GitHub Action (run inside a workflow job)');
  github
    .command('check-actor')
    .description('refuse a run started by someone without write access (IN_ALLOWED_USERS, IN_ALLOWED_BOTS)')
    .exitOverride()
    .action(async () => setExit(await checkActorStep()));
  github
    .command('comment')
    .description('create or update the progress comment on the triggering issue or pull request')
    .addOption(new Option('--phase <phase>', 'which stage of the run').choices(['started', 'running', 'finished']).makeOptionMandatory())
    .option('--id <id>', 'the comment to update')
    .option('--events <file>', "the run's JSON Lines events (for the outcome)")
    .option('--exit-code <code>', "sprout's exit code")
    .exitOverride()
    .action(async (opts: { phase: Phase; id?: string; events?: string; exitCode?: string }) => setExit(await commentStep(opts.phase, opts)));
  github
    .command('outputs')
    .description("write the Action's step outputs from the run's events file")
    .requiredOption('--events <file>', "the run's JSON Lines events")
    .exitOverride()
    .action((opts: { events: string }) => {
      setOutputs(actionOutputs(readRunResult(opts.events), opts.events));
      setExit(EXIT.success);
    });
  github
    .command('open-pr')
    .description('open (or find) the pull request for the branch the run committed on')
    .requiredOption('--events <file>', "the run's JSON Lines events")
    .requiredOption('--base <branch>', 'the branch to merge into')
    .exitOverride()
    .action(async (opts: { events: string; base: string }) => setExit(await openPrStep(opts)));
}
