// The commands that help people start: `init`, `schema config` and `completion SHELL`.
import type { Command } from 'commander';
import { completionScript, SHELLS, type Shell } from './completion.js';
import { EXIT } from './exit-codes.js';

/** JSON Schemas `sprout schema` prints, by name, each built (with its code loaded) only when asked for. */
export const SCHEMAS: Record<string, () => Promise<object>> = {
  config: async () => (await import('../config/json-schema.js')).configJsonSchema(),
  events: async () => (await import('../render/event-schema.js')).eventsJsonSchema(),
};

export function defineOnboardingCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a starter config (with its JSON Schema), an AGENTS.md skeleton and a GitHub Actions workflow')
    .option('-C, --cwd <dir>', 'the project directory', '.')
    .option('--user', 'write your user config (~/.config/sprout/config.json) instead of the project files')
    .option('--force', 'overwrite files that exist')
    .exitOverride()
    .action(async (opts: { cwd: string; user?: boolean; force?: boolean }) => {
      const { initCommand } = await import('./init/init-command.js');
      setExit(await initCommand({ cwd: opts.cwd, env: process.env, stdout: process.stdout, user: Boolean(opts.user), force: Boolean(opts.force) }));
    });
  program
    .command('schema')
    .description('print a JSON Schema: config (the config file, for editors via "$schema") or events (the --output-format json lines)')
    .addArgument(program.createArgument('<name>', 'which schema').choices(Object.keys(SCHEMAS)))
    .exitOverride()
    .action(async (name: string) => {
      process.stdout.write(`${JSON.stringify(await SCHEMAS[name]!(), null, 2)}\n`);
      setExit(EXIT.success);
    });
  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .addArgument(program.createArgument('<shell>', 'the shell').choices(SHELLS))
    .exitOverride()
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell, program));
      setExit(EXIT.success);
    });
}
