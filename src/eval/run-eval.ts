// `sprout eval`: run SWE-bench-style instances through the batch engine (each on a worktree of its
// base_commit, with concurrency, budgets, resume after kill and shards), grade each in the sandbox,
// and write predictions.jsonl (SWE-bench's predictions format) and the report (JSON and markdown).
//
// The eval directory (default .sprout-eval/NAME, or NAME.shard-I-of-N) is a batch directory (see
// src/batch/run-batch.ts) plus: issues/ID.md (each problem statement, the child's --issue),
// repos/ (clones of instances given by URL), predictions.jsonl, eval-report.json, eval-report.md, eval-report.html.
// Re-running resumes: finished runs are kept, the rest run, and every instance is graded again.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pLimit from 'p-limit';
import { cloneRepository } from '../../sandbox/git-clone.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { PassThrough } from '../batch/child.js';
import type { BatchTask } from '../batch/manifest.js';
import { toSafeName } from '../batch/names.js';
import type { Interrupts, } from '../batch/processes.js';
import type { BatchProgress, ProgressIo } from '../batch/progress.js';
import type { ReportRow } from '../batch/report.js';
import { runBatch } from '../batch/run-batch.js';
import type { Shard } from '../batch/shard.js';
import { InputError } from '../errors.js';
import { type Grade, gradeInstance } from './grade.js';
import { type EvalInstance, isCloneUrl } from './instances.js';
import { buildReport, type EvalReport, type EvalRow, reportMarkdown } from './report.js';
import { reportHtml } from './report-html.js';

export interface EvalOptions {
  name: string;
  dir: string;
  instances: EvalInstance[];
  concurrency: number;
  maxCost?: number;
  pass: PassThrough;
  shard?: Shard;
  /** model_name_or_path in predictions.jsonl. */
  modelName: string;
  openSandbox(root: string): Promise<Sandbox>;
}

export interface EvalIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  interrupts: Interrupts;
  createProgress: (io: ProgressIo) => BatchProgress;
}

/** Run, grade and report; resolves to the report and the exit code. */
export async function runEval(options: EvalOptions, io: EvalIo): Promise<{ report: EvalReport; exitCode: number }> {
  mkdirSync(join(options.dir, 'issues'), { recursive: true });
  const repos = new Map<string, string>();
  const tasks: BatchTask[] = [];
  for (const instance of options.instances) {
    const repoDir = await localRepo(instance.repo, options.dir, repos);
    const issue = join(options.dir, 'issues', `${instance.instance_id}.md`);
    writeFileSync(issue, `${instance.problem_statement.trim()}\n`);
    tasks.push({ id: instance.instance_id, cwd: repoDir, issue, base: instance.base_commit });
  }
  // The batch's own report stays in its files; stdout is the eval's.
  const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
  const batch = await runBatch(
    { name: options.name, dir: options.dir, tasks, concurrency: options.concurrency, maxCost: options.maxCost, pass: options.pass, retryFailed: false, keepWorktrees: false, shard: options.shard },
    { env: io.env, stdout: quiet, stderr: io.stderr, json: false, interrupts: io.interrupts, createProgress: io.createProgress },
  );
  const byId = new Map(batch.rows.map((row) => [row.id, row]));
  const limit = pLimit(options.concurrency);
  const rows = await Promise.all(
    options.instances.map((instance) => limit(() => gradeRow(instance, byId.get(instance.instance_id), repos.get(instance.repo)!, options.openSandbox))),
  );
  const report = buildReport(options.modelName, rows.map((r) => r.row));
  const predictions = rows
    .sort((a, b) => (a.row.instance_id < b.row.instance_id ? -1 : 1))
    .map((r) => JSON.stringify({ instance_id: r.row.instance_id, model_name_or_path: options.modelName, model_patch: r.patch }));
  writeFileSync(join(options.dir, 'predictions.jsonl'), `${predictions.join('\n')}\n`);
  writeFileSync(join(options.dir, 'eval-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.dir, 'eval-report.md'), reportMarkdown(report, `sprout eval ${options.name}`));
  writeFileSync(join(options.dir, 'eval-report.html'), reportHtml(report, `sprout eval ${options.name}`));
  // An unresolved instance is a result, not a failure of the eval; interrupts and the budget are.
  const exitCode = batch.exitCode === 1 ? 0 : batch.exitCode;
  return { report, exitCode };
}

async function gradeRow(instance: EvalInstance, row: ReportRow | undefined, repoDir: string, openSandbox: (root: string) => Promise<Sandbox>): Promise<{ row: EvalRow; patch: string }> {
  const patch = row?.patch && existsSync(row.patch) ? readFileSync(row.patch, 'utf8') : '';
  const ran = row !== undefined && ['success', 'error', 'limit'].includes(row.status);
  const grade: Grade = ran
    ? await gradeInstance({ instance, repoDir, patch, openSandbox })
    : { instance_id: instance.instance_id, resolved: false, reason: `not run (${row?.status ?? 'pending'})`, fail_to_pass: { passed: [], failed: [] }, pass_to_pass: { passed: [], failed: [] }, test_exit_code: null, duration_ms: 0 };
  return {
    patch,
    row: {
      instance_id: instance.instance_id, resolved: grade.resolved, reason: grade.reason, run_status: row?.status ?? 'pending',
      turns: row?.turns ?? 0, prompt_tokens: row?.prompt_tokens ?? 0, completion_tokens: row?.completion_tokens ?? 0,
      cost: row?.cost ?? 0, currency: row?.currency ?? 'CNY', run_ms: row?.duration_ms ?? 0, grade_ms: grade.duration_ms,
      fail_to_pass: grade.fail_to_pass, pass_to_pass: grade.pass_to_pass,
    },
  };
}

/** The local repository of an instance: its path, or a clone (made once per URL) under the eval directory. */
async function localRepo(repo: string, dir: string, cache: Map<string, string>): Promise<string> {
  const known = cache.get(repo);
  if (known) return known;
  let local = repo;
  if (isCloneUrl(repo)) {
    local = join(dir, 'repos', toSafeName(repo) ?? 'repo');
    if (!existsSync(local)) {
      mkdirSync(join(dir, 'repos'), { recursive: true });
      try {
        await cloneRepository(repo, local);
      } catch (error) {
        throw new InputError(`cannot clone ${repo} (${error instanceof Error ? error.message.trim().split('\n')[0] : String(error)}); check the URL or clone it and give the path`);
      }
    }
  } else if (!existsSync(repo)) {
    throw new InputError(`repository ${repo} does not exist; give a local path (relative to the task file) or a clone URL`);
  }
  const real = realpathSync(local);
  cache.set(repo, real);
  return real;
}
