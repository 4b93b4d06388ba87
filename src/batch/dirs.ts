// `sprout batch --dirs 'packages/*' --prompt "..."`: one task per matching directory, for a refactor
// that repeats over many packages. Ids come from the directory names; when two directories share a
// name (a/util, b/util), every id is the whole relative path instead (a-util, b-util). Dot folders
// (the batch's own .sprout-batch among them) and node_modules are never matched.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { InputError, UsageError } from '../errors.js';
import type { BatchTask } from './manifest.js';
import { toSafeName } from './names.js';
import { notProjectReason } from './project-dir.js';

export interface DirsRequest {
  pattern: string;
  /** Where the pattern is matched: the current directory. */
  base: string;
  prompt?: string;
  /** An issue file (relative to `base`). */
  issue?: string;
}

/** Expand the pattern to directories (sorted) and make a task of each. */
export async function tasksFromDirs(request: DirsRequest): Promise<BatchTask[]> {
  const found = await glob(request.pattern, { cwd: request.base, onlyDirectories: true, expandDirectories: false, ignore: ['**/node_modules/**'] });
  const dirs = [...new Set(found.map((d) => d.replace(/\/+$/, '')).filter((d) => d !== '' && d !== '.'))].sort();
  if (dirs.length === 0) {
    throw new InputError(`--dirs '${request.pattern}' matched no directory under ${request.base}; check the pattern (quote it so the shell does not expand it)`);
  }
  const ids = idsFor(dirs);
  const issue = request.issue === undefined ? undefined : resolve(request.base, request.issue);
  if (issue !== undefined && !existsSync(issue)) throw new InputError(`the issue file ${issue} does not exist; pass a readable --issue file`);
  for (const dir of dirs) {
    const notProject = notProjectReason(resolve(request.base, dir));
    if (notProject) throw new InputError(`--dirs '${request.pattern}' matched ${resolve(request.base, dir)}, which is not a project directory (${notProject}); narrow the pattern to project folders`);
  }
  return dirs.map((dir, i) => ({ id: ids[i]!, cwd: resolve(request.base, dir), prompt: request.prompt, issue }));
}

function idsFor(dirs: string[]): string[] {
  const byName = dirs.map((dir) => toSafeName(basename(dir)));
  if (byName.every((id) => id !== undefined) && new Set(byName).size === dirs.length) return byName;
  const byPath = dirs.map((dir) => toSafeName(dir.replace(/\//g, '-')));
  const seen = new Map<string, string>();
  byPath.forEach((id, i) => {
    const dir = dirs[i]!;
    if (id === undefined) throw new UsageError(`cannot make a task id from directory ${dir}; list the tasks in a manifest instead of --dirs`);
    const other = seen.get(id);
    if (other) throw new UsageError(`directories ${other} and ${dir} give the same task id ${id}; list the tasks in a manifest instead of --dirs`);
    seen.set(id, dir);
  });
  return byPath as string[];
}
