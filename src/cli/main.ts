#!/usr/bin/env node
// The `sprout` command: parses arguments with commander, dispatches subcommands, and maps every
// outcome to an exit code of the contract. Nothing here knows how a run works; see run-command.ts.
// Each command's code loads only when that command runs, so that a run's first request (and
// `--version`, `--help`) do not wait for the rest of the CLI.
import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError, Option } from 'commander';
import { PROVIDER_NAMES } from '../config/providers.js';
import type { ConfigLayer } from '../config/schema.js';
import { VERSION } from '../version.js';
import { SproutError } from '../errors.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { defineBatchCommand } from './batch-command.js';
import { defineEvalCommand } from './eval-command.js';
import { tolerateClosedOutput } from './process-io.js';
import { defineRunCommand } from './run-options.js';
import { defineOnboardingCommands } from './onboarding-commands.js';
import { defineGithubCommand } from './github-command.js';
import { REPORT_FORMATS, type ReportFormat } from './report-formats.js';

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('sprout')
    .description('A headless coding agent: give it a task and a repository, it edits, runs and tests code until done.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  defineRunCommand(program, setExit);
  defineBatchCommand(program, setExit);
  defineOnboardingCommands(program, setExit);
  defineGithubCommand(program, setExit);
  defineEvalCommand(program, setExit);
  program
    .command('models')
    .description('list model profiles: context, output limit, thinking and prices')
    .addOption(new Option('--provider <name>', 'price the models for this provider (default: from config)').choices(PROVIDER_NAMES))
    .option('--json', 'one JSON object per model')
    .exitOverride()
    .action(async (opts: { json?: boolean; provider?: (typeof PROVIDER_NAMES)[number] }) => {
      const [{ loadConfig }, { modelsCommand }] = await Promise.all([import('../config/load.js'), import('./models-command.js')]);
      const config = await loadConfig({ cwd: process.cwd(), env: process.env, flags: { provider: opts.provider } });
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
    .addOption(new Option('--format <format>', 'the run report: per-turn tokens, cost and tool calls, totals, diff stat').choices(REPORT_FORMATS))
    .exitOverride()
    .action(async (id: string, opts: { format?: ReportFormat }, command: Command) => {
      if (opts.format) {
        const { sessionReportCommand } = await import('./session-report.js');
        return setExit(await sessionReportCommand(id, opts.format, { env: process.env, stdout: process.stdout }));
      }
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

// The HTTP client's parser (undici's llhttp) is WebAssembly, which V8 compiles twice: at once, and
// again optimised in the background, ~70 ms and ~28 MB that every run would wait for at exit. The
// first compile parses a run's few MB of responses fast enough. Set before the first request.
setFlagsFromString('--liftoff-only');
// ... and compiled whole when the first connection is made, rather than function by function as the
// first response is parsed: that response is what the run is waiting for, the connection is not.
setFlagsFromString('--no-wasm-lazy-compilation');
tolerateClosedOutput();
process.exitCode = await main(process.argv);
