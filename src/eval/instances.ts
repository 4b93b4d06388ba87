// Eval task sets: SWE-bench-style instances, one JSON object a line, with SWE-bench's field names
// (`instance_id`, `repo`, `base_commit`, `problem_statement`, `test_patch`, `FAIL_TO_PASS`,
// `PASS_TO_PASS`) plus the `test_cmd` that runs the tests. FAIL_TO_PASS/PASS_TO_PASS may be lists or
// JSON-encoded lists, as the published datasets store them. Errors name the file, line and field.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { isSafeName, SAFE_NAME_RULE } from '../batch/names.js';

/** One instance, with `repo` resolved: a local path (absolute) or a clone URL. */
export interface EvalInstance {
  instance_id: string;
  repo: string;
  base_commit: string;
  problem_statement: string;
  test_patch: string;
  FAIL_TO_PASS: string[];
  PASS_TO_PASS: string[];
  test_cmd: string;
}

const URL_LIKE = /^(https?:\/\/|ssh:\/\/|git@)/;

const testList = z.union([
  z.array(z.string().min(1)),
  z.string().transform((text, ctx) => {
    try {
      const parsed = z.array(z.string()).parse(JSON.parse(text));
      return parsed;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a list of test ids, or a JSON-encoded list' });
      return z.NEVER;
    }
  }),
]);

const InstanceSchema = z.object({
  instance_id: z.string().refine(isSafeName, { message: `must be ${SAFE_NAME_RULE}` }),
  repo: z.string().min(1),
  // A hex commit id: never an option or a ref expression that git would read differently.
  base_commit: z.string().regex(/^[0-9a-f]{7,40}$/, 'expected a hex commit id (7-40 characters)'),
  problem_statement: z.string().trim().min(1),
  test_patch: z.string().min(1),
  FAIL_TO_PASS: testList,
  PASS_TO_PASS: testList.default([]),
  test_cmd: z.string().trim().min(1).optional(),
});

/** Read TASKS.jsonl; `defaultTestCmd` (--test-cmd) serves instances without their own. */
export function loadInstances(file: string, defaultTestCmd: string | undefined): EvalInstance[] {
  const path = resolve(file);
  if (!existsSync(path)) throw new InputError(`task file ${file} does not exist; pass a JSONL file of SWE-bench-style instances`);
  const seen = new Set<string>();
  const instances: EvalInstance[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new InputError(`${where} is not valid JSON; each line must be one instance object`);
    }
    const parsed = InstanceSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(`${where}: ${issue.path.join('.') || 'instance'}: ${issue.message}`);
    }
    const v = parsed.data;
    if (seen.has(v.instance_id)) throw new InputError(`${where}: instance_id ${v.instance_id} appears twice; ids must be unique`);
    seen.add(v.instance_id);
    const testCmd = v.test_cmd ?? defaultTestCmd;
    if (!testCmd) throw new InputError(`${where}: no test_cmd; add one to the instance or pass --test-cmd`);
    const repo = URL_LIKE.test(v.repo) ? v.repo : resolve(dirname(path), v.repo);
    instances.push({ ...v, repo, test_cmd: testCmd });
  });
  if (instances.length === 0) throw new InputError(`task file ${file} has no instances`);
  return instances;
}

/** Whether `repo` is a clone URL rather than a local path. */
export function isCloneUrl(repo: string): boolean {
  return URL_LIKE.test(repo);
}
