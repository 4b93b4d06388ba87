#!/usr/bin/env node
// The `sprout` command: parses arguments with commander, dispatches subcommands, and maps every
// outcome to an exit code of the contract. Nothing here knows how a run works; see run-command.ts.
import { Command, CommanderError, Option } from 'commander';
import { PROVIDER_NAMES } from '../config/providers.js';
import type { ConfigLayer } from '../config/schema.js';
import { loadConfig } from '../config/load.js';
import { VERSION } from '../version.js';
import { SproutError } from '../errors.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { defineBatchCommand } from './batch-command.js';
import { tolerateClosedOutput } from './process-io.js';
import { defineRunCommand } from './run-options.js';

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('sprout')
    .description('A headless coding agent: give it a task and a repository, it edits, runs and tests code until done.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  defineRunCommand(program, setExit);
  defineBatchCommand(program, setExit);
  program
    .command('models')
    .description('list model profiles: context, output limit, thinking and prices')
    .addOption(new Option('--provider <name>', 'price the models for this provider (default: from config)').choices(PROVIDER_NAMES))
    .option('--json', 'one JSON object per model')
    .exitOverride()
    .action(async (opts: { json?: boolean; provider?: (typeof PROVIDER_NAMES)[number] }) => {
      const config = await loadConfig({ cwd: process.cwd(), env: process.env, flags: { provider: opts.provider } });
      const { modelsCommand } = await import('./models-command.js');
      setExit(modelsCommand({ stdout: process.stdout, json: Boolean(opts.json), provider: config.provider, patches: config.models }));
    });
  program
    .command('doctor')
    .description('check node, git, ripgrep, the sandbox, config, the API key and the endpoint')
    .option('-C, --cwd <dir>', 'the directory whose project config to check', '.')
    .addOption(new Option('--provider <name>', 'endpoint preset').choices(PROVIDER_NAMES))
    .option('--base-url <url>', "override the provider's base URL")
    .option('-m, --model <id>', 'the model id to check against the endpoint\'s list')
    .addOption(new Option('--sandbox <kind>', 'backend to check').choices(['bwrap', 'none']))
    .option('--offline', 'do not contact the endpoint')
    .option('--json', 'one JSON object per check')
    .exitOverride()
    .action(async (opts: Record<string, unknown>) => {
      const flags: ConfigLayer = {
        provider: opts.provider as ConfigLayer['provider'],
        baseUrl: opts.baseUrl as string | undefined,
        model: opts.model as string | undefined,
        sandbox: opts.sandbox as ConfigLayer['sandbox'],
      };
      const io = { env: process.env, cwd: opts.cwd as string, stdout: process.stdout, json: Boolean(opts.json), flags, offline: Boolean(opts.offline) };
      const { doctorCommand } = await import('./doctor-command.js');
      setExit(await doctorCommand(io));
    });
  const sessions = program
    .command('sessions')
    .description('list saved sessions, newest first')
    .option('--json', 'one JSON object per session')
    .exitOverride()
    .action(async (opts: { json?: boolean }) => {
      const { listSessionsCommand } = await import('./sessions-command.js');
      setExit(listSessionsCommand({ env: process.env, stdout: process.stdout, json: Boolean(opts.json) }));
    });
  sessions
    .command('show')
    .description('show one session: status, totals and the conversation')
    .argument('<id>', "a session id, or 'last'")
    .option('--json', 'the session as one JSON object')
    .exitOverride()
    .action(async (id: string, _opts: unknown, command: Command) => {
      // `--json` may be parsed as the parent's option; read both levels.
      const json = Boolean(command.optsWithGlobals<{ json?: boolean }>().json);
      const { showSessionCommand } = await import('./sessions-command.js');
      setExit(showSessionCommand(id, { env: process.env, stdout: process.stdout, json }));
    });
  return program;
}

async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.success;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code) ? EXIT.success : EXIT.usage;
    }
    if (error instanceof SproutError) {
      process.stderr.write(`error: ${error.message}\n`);
      return exitCodeForError(error);
    }
    process.stderr.write(`sprout: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.error;
  }
  return exitCode;
}

tolerateClosedOutput();
process.exitCode = await main(process.argv);
