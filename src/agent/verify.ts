// The verification gate: when the model says it is done, run the project's tests (or the given
// command) through the run_tests tool; a failure goes back to the model as a new turn, a bounded
// number of times, and the run succeeds only when the last check passed.
import type { ToolContext } from '../../tools/define-tool.js';
import { runTests } from '../../tools/run-tests/index.js';
import { type OutputOptions, runToolCall, type ToolCallOutcome } from '../../tools/runner.js';
import type { Tool } from '../../tools/define-tool.js';
import type { AgentEvent, Verification } from './events.js';

/** What to check when the model stops. */
export interface VerifyOptions {
  /** The command; undefined runs the detected test command. */
  command?: string;
  /** Failed checks sent back to the model before the run ends in error. */
  retries: number;
  /** When true (the default check of an issue run), a project with no test setup skips the check. */
  optional?: boolean;
}

export type VerifyVerdict =
  | { kind: 'passed'; verification: Verification }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; verification: Verification; feedback: string };

export const FEEDBACK_CHARS = 6000; // of the check's report sent back to the model

/** What run_tests reports in `details` (see tools/run-tests). */
export interface CheckDetails {
  command?: string;
  exitCode?: number | null;
  passed?: number;
  failed?: number;
  durationMs?: number;
  failures?: Array<{ name: string; file?: string }>;
  errors?: string[];
  /** run_tests' verdict word, e.g. `NO TESTS RAN`. */
  status?: string;
}

/** Run the project's tests (or `command`) once through the run_tests tool, in `ctx`'s sandbox. */
export async function runCheck(
  command: string | undefined,
  id: string,
  ctx: ToolContext,
  output: OutputOptions,
): Promise<{ outcome: ToolCallOutcome; details: CheckDetails | undefined }> {
  const tools = new Map<string, Tool>([[runTests.name, runTests as unknown as Tool]]);
  const args = command ? { command } : {};
  const outcome = await runToolCall(tools, { id, name: runTests.name, arguments: JSON.stringify(args) }, ctx, output);
  return { outcome, details: outcome.details as CheckDetails | undefined };
}

/** A check run when the model stops, counting its attempts against a number of retries. */
export abstract class CheckGate<O extends { retries: number }> {
  protected attempts = 0;

  constructor(
    protected readonly options: O,
    protected readonly ctx: ToolContext,
    protected readonly output: OutputOptions,
  ) {}

  /** Failed checks so far that were sent back to the model. */
  get retriesUsed(): number {
    return Math.max(0, this.attempts - 1);
  }

  get retriesLeft(): boolean {
    return this.attempts <= this.options.retries;
  }
}

export class Verifier extends CheckGate<VerifyOptions> {

  async *check(): AsyncGenerator<AgentEvent, VerifyVerdict> {
    const { outcome, details } = await runCheck(this.options.command, `verify-${this.attempts}`, this.ctx, this.output);
    if (!details && this.options.optional) {
      const reason = `no check was run: ${outcome.output.replace(/^Error: /, '')}`;
      yield { type: 'warning', message: reason };
      return { kind: 'skipped', reason };
    }
    this.attempts++;
    const verification: Verification = {
      command: details?.command ?? this.options.command ?? '(detected tests)',
      exit_code: details?.exitCode ?? null,
      ...(details?.passed === undefined ? {} : { passed: details.passed }),
      ...(details?.failed === undefined ? {} : { failed: details.failed }),
      ...(details?.status === 'NO TESTS RAN' ? { no_tests_ran: true } : {}),
      retries: this.retriesUsed,
      output: outcome.output.slice(-FEEDBACK_CHARS),
    };
    yield { type: 'verification', ok: outcome.ok, attempt: this.attempts, ...verification };
    if (outcome.ok) return { kind: 'passed', verification };
    const why = verification.no_tests_ran ? 'ran no test' : 'failed';
    const feedback =
      `You said you were done, but the check \`${verification.command}\` ${why}:\n\n${outcome.output.slice(-FEEDBACK_CHARS)}\n\n` +
      'Fix the cause (not the check), then finish again with a summary.';
    return { kind: 'failed', verification, feedback };
  }
}
