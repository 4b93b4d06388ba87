// Grading one instance in the sandbox, as SWE-bench's harness does it: on a clean copy of the base
// commit, apply the model's patch, then the instance's test_patch, run its test_cmd, and call it
// resolved when every FAIL_TO_PASS and PASS_TO_PASS test passed. The copy is made through the host
// git door; the patches are applied and the tests run only in the sandbox.
import { checkoutBaseWith } from '../../sandbox/base-copy.js';
import type { Sandbox } from '../../sandbox/types.js';
import { EVAL_TEST_OUTPUT_BYTES, EVAL_TEST_TIMEOUT_MS } from '../config/eval-limits.js';
import type { EvalInstance } from './instances.js';
import { testStatuses } from './test-log.js';

const PATCH_FILE = '.sprout-eval.patch'; // written into the copy, removed again before the tests run

/** The grade of one instance. */
export interface Grade {
  instance_id: string;
  resolved: boolean;
  /** `resolved`, or why not, in words. */
  reason: string;
  fail_to_pass: { passed: string[]; failed: string[] };
  pass_to_pass: { passed: string[]; failed: string[] };
  test_exit_code: number | null;
  duration_ms: number;
}

export interface GradeRequest {
  instance: EvalInstance;
  /** The local repository holding base_commit. */
  repoDir: string;
  /** The model's unified diff ('' for none). */
  patch: string;
  openSandbox(root: string): Promise<Sandbox>;
}

export async function gradeInstance(request: GradeRequest): Promise<Grade> {
  const { instance } = request;
  const started = Date.now();
  const empty = { passed: [], failed: [] };
  const fail = (reason: string): Grade => ({ instance_id: instance.instance_id, resolved: false, reason, fail_to_pass: empty, pass_to_pass: empty, test_exit_code: null, duration_ms: Date.now() - started });
  if (request.patch.trim() === '') return fail('no patch: the run changed nothing');
  const copy = await checkoutBaseWith(request.repoDir, instance.base_commit, []);
  try {
    const sandbox = await request.openSandbox(copy.dir);
    let run;
    try {
      if (!(await applyPatch(sandbox, request.patch))) return fail("the model's patch does not apply to the base commit");
      if (!(await applyPatch(sandbox, instance.test_patch))) return fail('the test_patch does not apply on top of the model\'s patch');
      run = await sandbox.exec(instance.test_cmd, { timeoutMs: EVAL_TEST_TIMEOUT_MS, maxOutputBytes: EVAL_TEST_OUTPUT_BYTES });
    } finally {
      await sandbox.close();
    }
    const statuses = testStatuses(run.output);
    const split = (ids: string[]) => ({ passed: ids.filter((id) => statuses.get(id) === 'passed'), failed: ids.filter((id) => statuses.get(id) !== 'passed') });
    const f2p = split(instance.FAIL_TO_PASS);
    const p2p = split(instance.PASS_TO_PASS);
    const reasons = [
      ...(run.timedOut ? [`the tests timed out after ${EVAL_TEST_TIMEOUT_MS / 1000} s`] : []),
      ...(f2p.failed.length > 0 ? [`FAIL_TO_PASS still failing: ${f2p.failed.join(', ')}`] : []),
      ...(p2p.failed.length > 0 ? [`PASS_TO_PASS broken: ${p2p.failed.join(', ')}`] : []),
    ];
    return {
      instance_id: instance.instance_id, resolved: reasons.length === 0, reason: reasons.length === 0 ? 'resolved' : reasons.join('; '),
      fail_to_pass: f2p, pass_to_pass: p2p, test_exit_code: run.exitCode, duration_ms: Date.now() - started,
    };
  } finally {
    await copy.remove();
  }
}

/**
 * `git apply` inside the sandbox, in the copy (no repository: git applies the patch as plain files);
 * the patch is the model's, so git never reads it on the host. False when it does not apply.
 */
async function applyPatch(sandbox: Sandbox, patch: string): Promise<boolean> {
  await sandbox.writeFile(PATCH_FILE, patch.endsWith('\n') ? patch : `${patch}\n`);
  const result = await sandbox.exec(`git apply --whitespace=nowarn ${PATCH_FILE}; status=$?; rm -f ${PATCH_FILE}; exit $status`, {
    timeoutMs: 60_000,
    maxOutputBytes: 64 * 1024,
  });
  return result.exitCode === 0;
}
