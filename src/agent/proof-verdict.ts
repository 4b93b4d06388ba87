// Judging a proof from its two test runs, and saying the verdict to the model: which tests are the
// reproduction (failing on the base), which of them still fail, and which tests the change broke.
/** One test, as runners name it; `id` is `file > name` when the file is known. */
export interface TestId {
  id: string;
  name: string;
  file?: string;
}

/** One run of the project's tests, as the evidence records it. */
export interface ProofRun {
  command: string;
  exit_code: number | null;
  passed?: number;
  failed?: number;
  duration_ms: number;
  /** The tests that failed (or one entry for a run that failed without naming a test). */
  failing: TestId[];
}

/** The outcome of a proof: the runs before (base + test changes) and after (the final tree). */
export interface Proof {
  proven: boolean;
  /** Why the fix is not proven; absent when it is. */
  reason?: string;
  base_commit: string;
  /** New or changed test files taken onto the base. */
  test_files: string[];
  /** Tests failing on the base: what the fix must make pass. */
  reproduction: TestId[];
  /** Reproduction tests that fail on the final tree too. */
  still_failing: TestId[];
  /** Tests that did not fail on the base and fail on the final tree. */
  broken: TestId[];
  before: ProofRun;
  after: ProofRun;
  /** Proofs attempted in this run, this one included. */
  attempts: number;
}

export interface ProofInput {
  baseCommit: string;
  testFiles: string[];
  before: ProofRun;
  after: ProofRun;
  /** Whether the run on the final tree passed as a whole (exit code and report). */
  afterOk: boolean;
  attempts: number;
}

/** Compare the two runs. */
export function judgeProof(input: ProofInput): Proof {
  const { before, after } = input;
  const failedBefore = new Set(before.failing.map((t) => t.id));
  const failedAfter = new Set(after.failing.map((t) => t.id));
  const reproduction = before.failing;
  const stillFailing = reproduction.filter((t) => failedAfter.has(t.id));
  const broken = after.failing.filter((t) => !failedBefore.has(t.id));
  const short = input.baseCommit.slice(0, 12);
  let reason: string | undefined;
  if (reproduction.length === 0) {
    const files = input.testFiles.length > 0 ? input.testFiles.join(', ') : 'none';
    reason = `no test fails on the base commit ${short} with the test changes (test files changed: ${files}), so nothing shows the fix is needed`;
  } else if (stillFailing.length > 0) {
    reason = `the reproduction still fails after the change: ${names(stillFailing)}`;
  } else if (broken.length > 0) {
    reason = `the change breaks tests that passed on the base commit ${short}: ${names(broken)}`;
  } else if (!input.afterOk) {
    reason = `the tests on the final tree did not pass (\`${after.command}\` exited ${after.exit_code})`;
  }
  return {
    proven: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
    base_commit: input.baseCommit,
    test_files: input.testFiles,
    reproduction,
    still_failing: stillFailing,
    broken,
    before,
    after,
    attempts: input.attempts,
  };
}

/** The message that sends an unproven fix back to the model. */
export function proofFeedback(proof: Proof, afterOutput: string): string {
  const advice =
    proof.reproduction.length === 0
      ? 'Leave a test that reproduces the issue: it must fail on the code as it was before your change and pass with ' +
        'your fix (put it in a test file; only test files are carried over to the base for this check).'
      : 'Fix the cause (not the tests), keep every test that passed before passing, then finish again with a summary.';
  // A failing check reads as it does without --prove, with the proof's findings after it.
  if (afterOutput) return `You said you were done, but the check \`${proof.after.command}\` failed:\n\n${afterOutput}\n\nThe fix is not proven: ${proof.reason}.\n\n${advice}`;
  return `You said you were done, but the fix is not proven: ${proof.reason}.\n\n${advice}`;
}

function names(tests: TestId[]): string {
  const shown = tests.slice(0, 10).map((t) => t.id);
  return shown.join('; ') + (tests.length > shown.length ? ` and ${tests.length - shown.length} more` : '');
}
