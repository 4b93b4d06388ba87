// Batch manifests: the list of tasks a batch runs, from a JSON, JSONL or YAML file, validated with zod.
// Each task is `{id, cwd, prompt or issue, model?, max_cost?}`; `cwd` and `issue` are relative to the
// manifest's folder, so a manifest checked into a repository works from any current directory.
// Errors name the file, the task (number and id) and the field, and exit 2 (InputError).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { isSafeName, SAFE_NAME_RULE } from './names.js';
import { notProjectReason } from './project-dir.js';

/** One task of a batch, with its paths made absolute. */
export interface BatchTask {
  id: string;
  /** The directory the agent works in (absolute). */
  cwd: string;
  prompt?: string;
  /** An issue file (absolute), given to the child as --issue. */
  issue?: string;
  model?: string;
  /** This task's budget, the child's --max-cost. */
  maxCost?: number;
  /** The commit its worktree starts from (default HEAD); sprout eval sets each instance's base_commit. */
  base?: string;
}

const TaskSchema = z
  .strictObject({
    id: z.string().refine(isSafeName, { message: `must be ${SAFE_NAME_RULE}` }),
    cwd: z.string().min(1).default('.'),
    prompt: z.string().trim().min(1).optional(),
    issue: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    max_cost: z.number().positive().optional(),
  })
  .refine((task) => task.prompt !== undefined || task.issue !== undefined, {
    message: 'a task needs a prompt or an issue',
    path: ['prompt'],
  });

/** How a task is named in messages: "task 3 (id p3)" or "line 3 (id p3)". */
type Label = (index: number, raw: unknown) => string;

/** Read and validate a manifest file. */
export function loadManifest(file: string): BatchTask[] {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InputError(`manifest ${file} does not exist; pass a JSON, JSONL or YAML file that lists the tasks`);
  }
  const text = readFileSync(path, 'utf8');
  const jsonl = ['.jsonl', '.ndjson'].includes(extname(path).toLowerCase());
  const entries = jsonl ? parseJsonLines(text, file) : parseDocument(text, file);
  const label: Label = (i, raw) => `${jsonl ? 'line' : 'task'} ${entries[i]?.line ?? i + 1}${idOf(raw)}`;
  return validateTasks(entries.map((e) => e.value), { file, base: dirname(path), label });
}

/** A JSON or YAML document: a list of tasks, or an object with a `tasks` list. */
function parseDocument(text: string, file: string): Array<{ value: unknown; line?: number }> {
  let doc: unknown;
  try {
    doc = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError(`${file} is not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${firstLine(error)}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(list)) {
    throw new InputError(`${file}: expected a list of tasks, or an object with a "tasks" list, each {id, cwd, prompt or issue}`);
  }
  return list.map((value) => ({ value }));
}

/** One task per non-blank line; the line number is kept for messages. */
function parseJsonLines(text: string, file: string): Array<{ value: unknown; line: number }> {
  const entries: Array<{ value: unknown; line: number }> = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      entries.push({ value: JSON.parse(line), line: i + 1 });
    } catch (error) {
      throw new InputError(`${file} line ${i + 1} is not valid JSON: ${firstLine(error)}`);
    }
  });
  return entries;
}

/** Check every task against the schema and each other, then resolve and check their paths. */
export function validateTasks(raw: unknown[], where: { file: string; base: string; label: Label }): BatchTask[] {
  const { file, label } = where;
  if (raw.length === 0) throw new InputError(`${file} lists no tasks; add at least one {id, cwd, prompt}`);
  const problems: string[] = [];
  const tasks: BatchTask[] = [];
  raw.forEach((item, i) => {
    const parsed = TaskSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${label(i, item)}: ${issue.path.join('.') || '(task)'}: ${issue.message}`);
      return;
    }
    const t = parsed.data;
    tasks.push({ id: t.id, cwd: resolve(where.base, t.cwd), prompt: t.prompt, model: t.model, maxCost: t.max_cost,
      issue: t.issue === undefined ? undefined : resolve(where.base, t.issue) });
  });
  if (problems.length > 0) throw new InputError(`invalid manifest ${file}: ${summarize(problems)}`);
  checkUniqueIds(tasks, file);
  tasks.forEach((task, i) => checkPaths(task, `${file}: ${label(i, raw[i])}`));
  return tasks;
}

function checkUniqueIds(tasks: BatchTask[], file: string): void {
  const seen = new Map<string, number>();
  tasks.forEach((task, i) => {
    const first = seen.get(task.id);
    if (first !== undefined) {
      throw new InputError(`invalid manifest ${file}: tasks ${first + 1} and ${i + 1} have the same id "${task.id}"; ids must be unique`);
    }
    seen.set(task.id, i);
  });
}

/** A missing directory or issue file is caught before any task starts, not halfway through. */
function checkPaths(task: BatchTask, where: string): void {
  if (!existsSync(task.cwd) || !statSync(task.cwd).isDirectory()) {
    throw new InputError(`${where}: cwd: ${task.cwd} is not a directory; cwd is relative to the manifest's folder`);
  }
  const notProject = notProjectReason(task.cwd);
  if (notProject) {
    throw new InputError(`${where}: cwd: ${task.cwd} is not a project directory (${notProject}); a task's directory is checked out or copied whole, so point cwd at the project itself`);
  }
  if (task.issue !== undefined && !existsSync(task.issue)) {
    throw new InputError(`${where}: issue: ${task.issue} does not exist; issue is relative to the manifest's folder`);
  }
}

function idOf(raw: unknown): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? ` (id "${id}")` : '';
}

function summarize(problems: string[]): string {
  const shown = problems.slice(0, 5).join('; ');
  return problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** The batch name a manifest gives: its file name without the extension. */
export function manifestName(file: string): string {
  return basename(file, extname(file));
}
