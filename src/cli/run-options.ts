// The `sprout run` command line: its options (the CLI contract's, plus CI outputs), and turning
// them into RunFlags for run-command.ts.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { PROVIDER_NAMES } from '../config/providers.js';
import type { ConfigLayer } from '../config/schema.js';
import { REASONING_EFFORTS } from '../model/thinking.js';
import { EXIT } from './exit-codes.js';
import { OUTPUT_FORMATS, type OutputFormat } from './output-formats.js';
import { installSignalHandlers, readStdin } from './process-io.js';

export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return Number(value);
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number greater than 0');
  return n;
}

/** Add `run` to the program; `setExit` receives the exit code. */
export function defineRunCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run one task to completion')
    .argument('[task]', "the task as text, or '-' to read it from stdin")
    .option('--issue <file>', "take the task from an issue file (markdown/text or GitHub event JSON); '-' reads stdin")
    .option('-C, --cwd <dir>', 'the working directory the agent may change', '.')
    .option('-m, --model <id>', 'model id or endpoint id (default doubao-seed-code)')
    .addOption(new Option('--provider <name>', 'endpoint preset').choices(PROVIDER_NAMES))
    .option('--base-url <url>', "override the provider's base URL")
    .option('--json', 'the same as --output-format json', false)
    .addOption(new Option('--output-format <format>', 'stdout: text (the final answer), json (sprout events) or stream-json (Claude Code shapes)').choices(OUTPUT_FORMATS))
    .option('--output-schema <file>', 'the final answer must be JSON valid against this JSON Schema (result.structured_output)')
    .option('--max-turns <n>', 'stop after N model requests (default 100)', positiveInt)
    .option('--timeout <seconds>', 'wall-clock limit for the whole run', positiveNumber)
    .option('--compact-at <tokens>', 'compact the conversation when the next prompt would pass this many tokens', positiveInt)
    .option('--max-cost <amount>', "stop before spending more than this, in the provider's currency", positiveNumber)
    .addOption(new Option('--sandbox <kind>', 'where tools run (default bwrap)').choices(['bwrap', 'none']))
    .option('--network', 'allow network access inside the sandbox')
    .option('--allow-domain <name>', 'let the sandbox reach only this domain (repeatable; `*.suffix` and presets like @npm), through sprout\'s proxy', (value: string, previous: string[] = []) => [...previous, value])
    .addOption(new Option('--reasoning-effort <level>', 'thinking depth, mapped per model').choices(REASONING_EFFORTS))
    .option('--resume <id>', "continue a saved session ('last' = the newest in this directory)")
    .option('--verify <command>', 'when the model stops, run this check; a failure goes back to the model (default with --issue: the detected test command)')
    .option('--verify-retries <n>', 'times a failed check is sent back to the model (default 2)', wholeNumber)
    .option('--no-verify', 'do not run a check when the model stops')
    .option('--prove', 'prove the fix: tests must fail on the base commit and pass after it (default for --issue runs with tests)')
    .option('--no-prove', 'do not prove the fix; the plain check still runs')
    .option('--evidence-out <file>', 'write the proof of the fix as JSON (evidence.json)')
    .option('--patch-out <file>', 'write the unified diff of everything the run changed')
    .option('--commit', 'commit the changes when the run succeeds')
    .option('--branch <name>', 'commit the changes on a new branch NAME when the run succeeds')
    .option('--summary-out <file>', 'write a markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('--image <file>', 'attach an image to the task (repeatable; vision models only)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--mcp-config <file>', 'MCP servers for this run ({"mcpServers": {...}}, as in the config)')
    .exitOverride()
    .action(async (task: string | undefined, opts: Record<string, unknown>) => {
      const config: ConfigLayer = {
        model: opts.model as string | undefined,
        provider: opts.provider as ConfigLayer['provider'],
        baseUrl: opts.baseUrl as string | undefined,
        maxTurns: opts.maxTurns as number | undefined,
        timeoutSeconds: opts.timeout as number | undefined,
        maxCost: opts.maxCost as number | undefined,
        compactAtTokens: opts.compactAt as number | undefined,
        reasoningEffort: opts.reasoningEffort as ConfigLayer['reasoningEffort'],
        sandbox: opts.sandbox as ConfigLayer['sandbox'],
        network: opts.network ? true : opts.allowDomain ? 'allowlist' : undefined,
        allowedDomains: opts.allowDomain as string[] | undefined,
        verifyRetries: opts.verifyRetries as number | undefined,
      };
      const signals = installSignalHandlers();
      // The run's code loads once the command line is known to be a run.
      const { runCommand } = await import('./run-command.js');
      const code = await runCommand(
        task,
        {
          issue: opts.issue as string | undefined,
          cwd: opts.cwd as string,
          json: outputFormat(opts) !== 'text',
          outputFormat: outputFormat(opts),
          outputSchema: opts.outputSchema as string | undefined,
          resume: opts.resume as string | undefined,
          // commander turns --no-verify into verify: false and --verify CMD into a string.
          verify: opts.verify === false ? false : (opts.verify as string | undefined),
          // commander turns --no-prove into prove: false; absent is undefined (the default).
          prove: opts.prove as boolean | undefined,
          evidenceOut: opts.evidenceOut as string | undefined,
          patchOut: opts.patchOut as string | undefined,
          commit: Boolean(opts.commit),
          branch: opts.branch as string | undefined,
          summaryOut: opts.summaryOut as string | undefined,
          mcpConfig: opts.mcpConfig as string | undefined,
          images: opts.image as string[] | undefined,
          config,
        },
        { env: process.env, stdout: process.stdout, stderr: process.stderr, readStdin, signal: signals.signal },
      );
      signals.dispose();
      setExit(signals.signal.aborted && code === EXIT.interrupted ? signals.exitCode() : code);
    });
}

/** `--output-format`, with `--json` as the alias of `json`. */
function outputFormat(opts: Record<string, unknown>): OutputFormat {
  return (opts.outputFormat as OutputFormat | undefined) ?? (opts.json ? 'json' : 'text');
}
