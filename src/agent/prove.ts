// The proof gate (--prove): when the model says it is done, show that its fix is what makes the
// tests pass. The project's tests run on the final tree, and on a clean copy of the base commit
// with only the model's test changes; the tests failing on the base are the reproduction, and the
// fix is proven when they pass on the final tree, nothing else fails there, and at least one failed
// on the base. A failed proof goes back to the model with what failed, a bounded number of times.
import { checkoutBaseWith, pathsChangedSince } from '../../sandbox/base-copy.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { ToolContext } from '../../tools/define-tool.js';
import type { AgentEvent, Verification } from './events.js';
import { judgeProof, type Proof, type ProofRun, proofFeedback } from './proof-verdict.js';
import { isTestPath } from './test-files.js';
import { type CheckDetails, CheckGate, FEEDBACK_CHARS, runCheck } from './verify.js';

/** What to prove when the model stops. */
export interface ProveOptions {
  /** The test command; undefined runs the detected one. */
  command?: string;
  /** Failed proofs sent back to the model before the run ends in error (--verify-retries). */
  retries: number;
  /** The commit the run started from: the "before" of the proof. */
  baseCommit: string;
  /** A sandbox like the run's, rooted at another directory (the base copy); closed after use. */
  openSandbox(root: string): Promise<Sandbox>;
  /** When true (the default of an issue run), a project with no test setup skips the proof. */
  optional?: boolean;
}

export type ProveVerdict =
  | { kind: 'proven'; proof: Proof; verification: Verification }
  | { kind: 'skipped'; reason: string }
  | { kind: 'unproven'; proof: Proof | undefined; verification: Verification; feedback: string; reason: string };

export class Prover extends CheckGate<ProveOptions> {

  async *check(): AsyncGenerator<AgentEvent, ProveVerdict> {
    const after = await runCheck(this.options.command, `prove-after-${this.attempts}`, this.ctx, this.output);
    if (!after.details && this.options.optional) {
      const reason = `no proof was made: ${after.outcome.output.replace(/^Error: /, '')}`;
      yield { type: 'warning', message: reason };
      return { kind: 'skipped', reason };
    }
    this.attempts++;
    const afterRun = toRun(after.details, this.options.command, after.outcome.ok);
    const noTests = after.details?.status === 'NO TESTS RAN' ? { no_tests_ran: true } : {};
    const verification = { ...this.verification(afterRun, after.outcome.output), ...noTests };
    yield { type: 'verification', ok: after.outcome.ok, attempt: this.attempts, ...verification };
    const testFiles = (await pathsChangedSince(this.ctx.cwd, this.options.baseCommit)).filter(isTestPath);
    const before = await this.runOnBase(testFiles);
    const proof = judgeProof({ baseCommit: this.options.baseCommit, testFiles, before, after: afterRun, afterOk: after.outcome.ok, attempts: this.attempts });
    yield {
      type: 'proof', ok: proof.proven, attempt: this.attempts, base_commit: proof.base_commit,
      reproduction: proof.reproduction.map((t) => t.id), broken: proof.broken.map((t) => t.id),
      still_failing: proof.still_failing.map((t) => t.id), ...(proof.reason ? { reason: proof.reason } : {}),
    };
    if (proof.proven) return { kind: 'proven', proof, verification };
    const feedback = proofFeedback(proof, after.outcome.ok ? '' : after.outcome.output.slice(-FEEDBACK_CHARS));
    return { kind: 'unproven', proof, verification, feedback, reason: proof.reason ?? 'unproven' };
  }

  /** The tests on a clean copy of the base commit plus the model's test files; the copy is removed after. */
  private async runOnBase(testFiles: string[]): Promise<ProofRun> {
    const copy = await checkoutBaseWith(this.ctx.cwd, this.options.baseCommit, testFiles);
    try {
      const sandbox = await this.options.openSandbox(copy.dir);
      try {
        const ctx: ToolContext = { ...this.ctx, sandbox, cwd: copy.dir, history: undefined };
        const before = await runCheck(this.options.command, `prove-before-${this.attempts}`, ctx, this.output);
        return toRun(before.details, this.options.command, before.outcome.ok);
      } finally {
        await sandbox.close();
      }
    } finally {
      await copy.remove();
    }
  }

  private verification(run: ProofRun, output: string): Verification {
    return {
      command: run.command,
      exit_code: run.exit_code,
      ...(run.passed === undefined ? {} : { passed: run.passed }),
      ...(run.failed === undefined ? {} : { failed: run.failed }),
      retries: this.retriesUsed,
      output: output.slice(-FEEDBACK_CHARS),
    };
  }
}

/** A test run as the evidence records it; a run that failed without naming a test counts as one failure of the whole run. */
function toRun(details: CheckDetails | undefined, command: string | undefined, ok: boolean): ProofRun {
  const failing = (details?.failures ?? []).map((f) => ({ id: f.file ? `${f.file} > ${f.name}` : f.name, name: f.name, ...(f.file ? { file: f.file } : {}) }));
  if (!ok && failing.length === 0) {
    const why = details?.errors?.[0]?.split('\n')[0] ?? `exit code ${details?.exitCode ?? 'unknown'}`;
    failing.push({ id: `(the test run failed: ${why})`, name: `(the test run failed: ${why})` });
  }
  return {
    command: details?.command ?? command ?? '(detected tests)',
    exit_code: details?.exitCode ?? null,
    ...(details?.passed === undefined ? {} : { passed: details.passed }),
    ...(details?.failed === undefined ? {} : { failed: details.failed }),
    duration_ms: details?.durationMs ?? 0,
    failing,
  };
}
