// evidence.json: the proof of a fix as a reviewer or a CI job reads it — the base commit, the
// reproduction, both test runs, who did it (model, tokens, cost) and where (sandbox). The patch's
// hash is added by the CI outputs, which write the patch.
import type { Proof, ProofRun, TestId } from './proof-verdict.js';

/** The `evidence` of a result and the content of --evidence-out. */
export interface Evidence {
  proven: boolean;
  reason?: string;
  base_commit: string;
  reproduction: { tests: TestId[]; files: string[] };
  still_failing: TestId[];
  broken: TestId[];
  /** The run on the base commit plus the test changes, and the run on the final tree. */
  before: ProofRun & { tree: 'base commit + test changes' };
  after: ProofRun & { tree: 'final' };
  attempts: number;
  /** sha256 of the run's unified diff, as --patch-out writes it. */
  patch_sha256?: string;
  model: { requested: string; served: string | null };
  num_turns: number;
  usage: { prompt_tokens: number; cached_tokens: number; completion_tokens: number; reasoning_tokens: number };
  cost: { amount: number; currency: string };
  sandbox: { kind: string; network?: boolean; read_write?: string[]; read_only?: string[] };
}

export interface EvidenceContext {
  requestedModel: string;
  servedModel: string | undefined;
  numTurns: number;
  usage: Evidence['usage'];
  cost: Evidence['cost'];
  sandbox: Evidence['sandbox'];
}

export function buildEvidence(proof: Proof, ctx: EvidenceContext): Evidence {
  return {
    proven: proof.proven,
    ...(proof.reason ? { reason: proof.reason } : {}),
    base_commit: proof.base_commit,
    reproduction: { tests: proof.reproduction, files: proof.test_files },
    still_failing: proof.still_failing,
    broken: proof.broken,
    before: { ...proof.before, tree: 'base commit + test changes' },
    after: { ...proof.after, tree: 'final' },
    attempts: proof.attempts,
    model: { requested: ctx.requestedModel, served: ctx.servedModel ?? null },
    num_turns: ctx.numTurns,
    usage: ctx.usage,
    cost: ctx.cost,
    sandbox: ctx.sandbox,
  };
}
