// `sprout github STEP`: the GitHub Action's logic as small commands that action.yml calls, so that it
// runs (and is tested) as code rather than as inline shell: the actor check, the progress comment,
// the step outputs and the pull request. Each reads the runner's environment (GITHUB_*).
import { type Command, Option } from 'commander';
import type { Phase } from '../ci/github/comment.js';

/** The steps' code (GitHub API, comments, outputs) loads only when a step runs. */
const steps = () => import('./github-steps.js');

export function defineGithubCommand(program: Command, setExit: (code: number) => void): void {
  const github = program.command('github').description('steps of the GitHub Action (run inside a workflow job)');
  github
    .command('check-actor')
    .description('refuse a run started by someone without write access (IN_ALLOWED_USERS, IN_ALLOWED_BOTS)')
    .exitOverride()
    .action(async () => setExit(await (await steps()).checkActorStep()));
  github
    .command('comment')
    .description('create or update the progress comment on the triggering issue or pull request')
    .addOption(new Option('--phase <phase>', 'which stage of the run').choices(['started', 'running', 'finished']).makeOptionMandatory())
    .option('--id <id>', 'the comment to update')
    .option('--events <file>', "the run's JSON Lines events (for the outcome)")
    .option('--exit-code <code>', "sprout's exit code")
    .exitOverride()
    .action(async (opts: { phase: Phase; id?: string; events?: string; exitCode?: string }) => setExit(await (await steps()).commentStep(opts.phase, opts)));
  github
    .command('outputs')
    .description("write the Action's step outputs from the run's events file")
    .requiredOption('--events <file>', "the run's JSON Lines events")
    .exitOverride()
    .action(async (opts: { events: string }) => setExit((await steps()).outputsStep(opts.events)));
  github
    .command('open-pr')
    .description('open (or find) the pull request for the branch the run committed on')
    .requiredOption('--events <file>', "the run's JSON Lines events")
    .requiredOption('--base <branch>', 'the branch to merge into')
    .exitOverride()
    .action(async (opts: { events: string; base: string }) => setExit(await (await steps()).openPrStep(opts)));
}
