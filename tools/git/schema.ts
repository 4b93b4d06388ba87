// The git tool's arguments: one object with a `command` and optional fields, which fields each
// command takes, and the operations refused outright. These checks depend on the arguments alone, so
// they run in validation, before anything touches the repository, and the runner names the field.
import { z } from 'zod';

/** The git tool's commands; anything else is refused by name in `refuseCommand`. */
export const COMMANDS = ['status', 'diff', 'log', 'show', 'blame', 'add', 'commit', 'branch', 'switch', 'checkout', 'restore', 'stash'] as const;
/** One of COMMANDS. */
export type GitCommand = (typeof COMMANDS)[number];
const STASH_ACTIONS = ['push', 'list', 'pop', 'apply'] as const;

const NO_NETWORK = 'sprout never talks to remotes: work with the commits already in the repository; the user pushes and pulls';
const NO_HISTORY_REWRITE = 'history is never rewritten or merged here: make a new commit instead';

/** Why a git operation the model may reach for is not a command, and what to do instead. */
const REFUSED: Record<string, string> = {
  push: `push is refused: ${NO_NETWORK}`,
  pull: `pull is refused: ${NO_NETWORK}`,
  fetch: `fetch is refused: ${NO_NETWORK}`,
  clone: `clone is refused: ${NO_NETWORK}`,
  remote: `remote is refused: ${NO_NETWORK}`,
  reset: 'reset is refused (there is no reset --hard here): to unstage files use `restore` with `paths` and `staged: true`; to discard changes to files use `restore` with `paths`',
  clean: 'clean is refused: it deletes untracked files wholesale. Delete specific files you created with the shell tool',
  rebase: `rebase is refused: ${NO_HISTORY_REWRITE}`,
  amend: `amend is refused: ${NO_HISTORY_REWRITE}`,
  merge: `merge is refused: ${NO_HISTORY_REWRITE}`,
  'cherry-pick': `cherry-pick is refused: ${NO_HISTORY_REWRITE}`,
  revert: `revert is refused: ${NO_HISTORY_REWRITE}`,
  'filter-branch': `filter-branch is refused: ${NO_HISTORY_REWRITE}`,
  init: 'init is not a git tool command: run `git init` with the shell tool if you need a repository',
  rm: 'rm is not a git tool command: delete the file with the shell tool, then `add` its path to stage the deletion',
  mv: 'mv is not a git tool command: move the file with the shell tool, then `add` both paths',
};

const FORCE = 'force operations are refused: nothing here discards work without a path naming it. Commit or stash changes first, or restore specific paths';
const COMMAND_LIST = `the commands are: ${COMMANDS.join(', ')}`;

/** The message for a `command` outside the enum: a reason for known operations, the list otherwise. */
function refuseCommand(input: unknown): string {
  const text = typeof input === 'string' ? input.trim().toLowerCase().replace(/^git\s+/, '') : '';
  if (/(^|\s)(--force\b|-f\b|-[a-z]*f)/.test(text)) return FORCE;
  const word = text.split(/\s+/)[0] ?? '';
  const reason = REFUSED[word];
  if (reason) return reason;
  if (COMMANDS.includes(word as GitCommand)) return `give only the command name in \`command\` and the rest in its fields; ${COMMAND_LIST}`;
  return `${JSON.stringify(input)} is not a git tool command; ${COMMAND_LIST}`;
}

/** The message for fields the schema does not have: free-form arguments and option flags are refused. */
function refuseKeys(keys: readonly string[]): string {
  const names = keys.map((k) => JSON.stringify(k)).join(', ');
  const lower = keys.map((k) => k.toLowerCase());
  if (lower.some((k) => k.includes('force') || k === 'f')) return `unexpected field ${names}: ${FORCE}`;
  if (lower.some((k) => k.includes('amend'))) return `unexpected field ${names}: ${REFUSED.amend}`;
  if (lower.some((k) => k.includes('hard') || k.includes('reset'))) return `unexpected field ${names}: ${REFUSED.reset}`;
  if (lower.some((k) => k.includes('delete') || k === 'd')) return `unexpected field ${names}: deleting branches or stashes is refused; leave them be`;
  return `unexpected field ${names}: the git tool takes no free-form arguments or options, only \`command\` and the fields listed in its schema`;
}

const pathList = z.array(z.string().min(1)).min(1);

/** The git tool's parameters. Each field says which commands use it. */
export const gitParameters = z
  .strictObject(
    {
      command: z.enum(COMMANDS, { error: (issue) => refuseCommand(issue.input) }).describe('Git command'),
      paths: pathList
        .optional()
        .describe('add/checkout/restore: required; status/diff/log/show: limit to these'),
      path: z.string().min(1).optional().describe('blame: the file'),
      ref: z
        .string()
        .min(1)
        .optional()
        .describe('Commit, branch, range or stash@{n} the command works on'),
      staged: z.boolean().optional().describe('diff: staged changes; restore: unstage the paths'),
      message: z.string().min(1).optional().describe('commit (required) or stash push message'),
      name: z.string().min(1).optional().describe('branch: create it (none: list); switch: target (required)'),
      create: z.boolean().optional().describe('switch: create `name` first'),
      start_line: z.number().int().min(1).optional().describe('blame: first line'),
      end_line: z.number().int().min(1).optional().describe('blame: last line'),
      max_count: z.number().int().min(1).max(500).optional().describe('log: commits to list (default 20)'),
      action: z
        .enum(STASH_ACTIONS, { error: (issue) => `stash ${JSON.stringify(issue.input)} is refused or unknown; the stash actions are: ${STASH_ACTIONS.join(', ')}` })
        .optional()
        .describe('stash action (default push)'),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? refuseKeys(issue.keys) : undefined) },
  )
  .superRefine((args, ctx) => {
    for (const { field, message } of fieldProblems(args)) ctx.addIssue({ code: 'custom', path: [field], message });
  });

/** The git tool's arguments after validation. */
export type GitArgs = z.output<typeof gitParameters>;
type Field = Exclude<keyof GitArgs, 'command'>;

/** Which fields each command takes; `required` ones with what they are for. */
const FIELDS: Record<GitCommand, { required?: Partial<Record<Field, string>>; optional?: Field[] }> = {
  status: { optional: ['paths'] },
  diff: { optional: ['staged', 'ref', 'paths'] },
  log: { optional: ['ref', 'paths', 'max_count'] },
  show: { optional: ['ref', 'paths'] },
  blame: { required: { path: 'the file to blame' }, optional: ['ref', 'start_line', 'end_line'] },
  add: { required: { paths: 'the files to stage' } },
  commit: { required: { message: 'the commit message' } },
  branch: { optional: ['name', 'ref'] },
  switch: { required: { name: 'the branch to switch to' }, optional: ['create', 'ref'] },
  checkout: { required: { paths: 'the files to restore' }, optional: ['ref'] },
  restore: { required: { paths: 'the files to restore or unstage' }, optional: ['staged'] },
  stash: { optional: ['action', 'message', 'ref'] },
};

interface Problem {
  field: string;
  message: string;
}

/** Missing and unexpected fields for the command, then values that would act as options. */
function fieldProblems(args: GitArgs): Problem[] {
  const { command } = args;
  const spec = FIELDS[command];
  const required = Object.entries(spec.required ?? {}) as Array<[Field, string]>;
  const allowed = new Set<string>([...required.map(([f]) => f), ...(spec.optional ?? [])]);
  const takes = allowed.size > 0 ? `it takes: ${[...allowed].join(', ')}` : 'it takes no other fields';
  const problems: Problem[] = [];
  for (const [field, purpose] of required) {
    if (args[field] === undefined) problems.push({ field, message: `${command} needs \`${field}\` (${purpose})` });
  }
  for (const field of Object.keys(args) as Field[]) {
    if (field !== ('command' as string) && args[field] !== undefined && !allowed.has(field)) {
      problems.push({ field, message: `${command} does not take \`${field}\`; ${takes}` });
    }
  }
  return [...problems, ...combinationProblems(args), ...valueProblems(args)];
}

/** Fields that only make sense together. */
function combinationProblems(args: GitArgs): Problem[] {
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (args.command === 'branch' && args.ref !== undefined && args.name === undefined) add('ref', 'branch uses `ref` only as the start point of a new branch `name`');
  if (args.command === 'switch' && args.ref !== undefined && !args.create) add('ref', 'switch uses `ref` only with `create: true`, as the new branch\'s start point');
  if (args.command === 'blame' && args.start_line !== undefined && args.end_line !== undefined && args.end_line < args.start_line) {
    add('end_line', `end_line ${args.end_line} is before start_line ${args.start_line}`);
  }
  if (args.command === 'stash') {
    const action = args.action ?? 'push';
    if (args.message !== undefined && action !== 'push') add('message', `stash ${action} does not take \`message\`; only push does`);
    if (args.ref !== undefined && action !== 'pop' && action !== 'apply') add('ref', `stash ${action} does not take \`ref\`; only pop and apply do`);
    if (args.ref !== undefined && !/^(stash@\{\d+\}|\d+)$/.test(args.ref)) add('ref', `stash ${action} takes a stash as stash@{n} (see stash list), not ${JSON.stringify(args.ref)}`);
  }
  return problems;
}

/** Refs, names and paths are passed as operands; one that starts with `-` would be read as an option. */
function valueProblems(args: GitArgs): Problem[] {
  const problems: Problem[] = [];
  const check = (field: string, value: string | undefined, what: string) => {
    if (value === undefined) return;
    if (value.startsWith('-')) {
      problems.push({ field, message: `${JSON.stringify(value)} starts with "-" and would be read as an option, which is refused; give ${what}` });
    } else if (/[\s\0-\x1f\x7f]/.test(value) && field !== 'paths' && field !== 'path') {
      problems.push({ field, message: `${JSON.stringify(value)} contains whitespace or control characters; give ${what}` });
    }
  };
  check('ref', args.ref, 'a commit, branch or tag');
  check('name', args.name, 'a branch name');
  check('path', args.path, 'a file path (write ./-name for a file whose name starts with "-")');
  for (const path of args.paths ?? []) check('paths', path, 'file paths (write ./-name for a file whose name starts with "-")');
  return problems;
}
