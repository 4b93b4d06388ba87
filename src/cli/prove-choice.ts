// Whether a run proves its fix (--prove / --no-prove, on by default for issue runs) and with what:
// the test command of --verify, the commit the run started from, and sandboxes like the run's for
// the clean base copy.
import type { ProveOptions } from '../agent/prove.js';
import type { Config } from '../config/schema.js';
import { InputError } from '../errors.js';
import { createSandbox } from './sandbox-choice.js';

export interface ProveChoice {
  /** --prove (true), --no-prove (false) or neither. */
  flag: boolean | undefined;
  /** --verify CMD, --no-verify (false) or neither. */
  verify: string | false | undefined;
  fromIssue: boolean;
  /** The commit the run starts from; undefined outside git or before the first commit. */
  start: string | undefined;
  config: Config;
  env: NodeJS.ProcessEnv;
}

/** The proof to make, or undefined for none; an explicit --prove that cannot be made is an InputError. */
export function proveOptions(choice: ProveChoice): ProveOptions | undefined {
  const explicit = choice.flag === true;
  const wanted = explicit || (choice.flag === undefined && choice.fromIssue && choice.verify !== false);
  if (!wanted) return undefined;
  if (!choice.start) {
    if (explicit) throw new InputError('--prove needs a git repository with at least one commit to compare against; commit first, or pass --no-prove');
    return undefined;
  }
  const { config, env } = choice;
  return {
    command: typeof choice.verify === 'string' ? choice.verify : undefined,
    retries: config.verifyRetries,
    baseCommit: choice.start,
    openSandbox: (root) => createSandbox(config, root, env),
    // The default proof of an issue run gives way when the project has no tests it can find.
    optional: !explicit,
  };
}
