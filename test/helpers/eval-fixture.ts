// A fixture for `sprout eval`: a git repository whose base commit has a real bug (add subtracts),
// a later commit the instances must not start from, and three SWE-bench-style instances on it
// whose hidden test_patch adds the failing test; plus a fake-model dispatcher that plays each one.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentText, type RecordedRequest, type ScriptedTurn } from '../fake-server/index.js';
import { tempDir, tempRepo } from './temp-repo.js';

const CALC = 'export function add(a, b) {\n  return a - b;\n}\n\nexport function mul(a, b) {\n  return a * b;\n}\n';
const MUL_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { mul } from '../calc.js';\n\n" +
  "test('mul multiplies', () => {\n  assert.equal(mul(3, 4), 12);\n});\n";
const ADD_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../calc.js';\n\n" +
  "test('add adds', () => {\n  assert.equal(add(2, 3), 5);\n});\n";

/** The three instances: what the scripted model does in each, and the grade it must get. */
export const INSTANCES = {
  'calc-1': { reason: 'resolved', edits: [['return a - b;', 'return a + b;']] },
  'calc-2': { reason: 'FAIL_TO_PASS still failing: add adds', edits: [['return a - b;', 'return a * b + 0;']] },
  'calc-3': { reason: 'PASS_TO_PASS broken: mul multiplies', edits: [['return a - b;', 'return a + b;'], ['return a * b;', 'return a * b + 1;']] },
} as const;
export type InstanceId = keyof typeof INSTANCES;

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd, encoding: 'utf8' });

/** The repository, its base commit, and a tasks file listing the three instances. */
export function evalFixture(): { repo: string; base: string; tasksFile: string } {
  const repo = tempRepo({ 'package.json': JSON.stringify({ name: 'calc', type: 'module', scripts: { test: 'node --test' } }), 'calc.js': CALC, 'test/mul.test.js': MUL_TEST });
  const base = git(repo, 'rev-parse', 'HEAD').trim();
  // A later commit: the runs must start from base_commit, not from HEAD.
  writeFileSync(join(repo, 'NEWS.md'), 'later work\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'later');
  const testPatch = testPatchFor(repo, base);
  const dir = tempDir('sprout-tasks-');
  const lines = (Object.keys(INSTANCES) as InstanceId[]).map((id) =>
    JSON.stringify({
      instance_id: id, repo, base_commit: base, test_patch: testPatch, test_cmd: 'node --test --test-reporter=tap',
      problem_statement: `[${id}] add(2, 3) returns -1 instead of 5.`,
      FAIL_TO_PASS: JSON.stringify(['add adds']), PASS_TO_PASS: ['mul multiplies'],
    }),
  );
  const tasksFile = join(dir, 'tasks.jsonl');
  writeFileSync(tasksFile, `${lines.join('\n')}\n`);
  return { repo, base, tasksFile };
}

/** The diff that adds test/add.test.js to the base commit (made in a scratch worktree). */
function testPatchFor(repo: string, base: string): string {
  const scratch = join(tempDir('sprout-tp-'), 'wt');
  git(repo, 'worktree', 'add', '-q', '--detach', scratch, base);
  writeFileSync(join(scratch, 'test', 'add.test.js'), ADD_TEST);
  git(scratch, 'add', '-A');
  const patch = git(scratch, 'diff', '--cached');
  git(repo, 'worktree', 'remove', '--force', scratch);
  return patch;
}

/** Which instance a request belongs to, from the problem statement in the task message. */
export function instanceOf(req: RecordedRequest): InstanceId | undefined {
  const text = (req.body.messages ?? []).map((m) => contentText(m.content)).join('\n');
  return /\[(calc-\d)\]/.exec(text)?.[1] as InstanceId | undefined;
}

/** The scripted model: the instance's edits first, then a final answer. */
export function playInstance(req: RecordedRequest): ScriptedTurn {
  const id = instanceOf(req);
  if (!id) return { content: 'no instance' };
  if ((req.body.messages ?? []).some((m) => m.role === 'tool')) return { content: `Fixed ${id}.` };
  const calls = INSTANCES[id].edits.map(([from, to]) => ({ name: 'edit_file', arguments: { path: 'calc.js', old_string: from, new_string: to } }));
  return { toolCalls: calls };
}
