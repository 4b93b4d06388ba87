// Which calls of one turn conflict: those that name the same file or the same lock (e.g. git writes),
// and a command or test run after any call that touches a file, so `[edit_file(a), run_tests]` tests
// the edited `a`. Conflicting calls run in the model's order; the rest may run at the same time.
import { isAbsolute, posix, relative } from 'node:path';
import type { z } from 'zod';
import type { CallFootprint, Tool } from './define-tool.js';
import { parseArguments, type ToolCallRequest } from './runner.js';

/** A call's footprint with paths made comparable; empty when the call is invalid or declares none. */
export function callFootprint(tools: ReadonlyMap<string, Tool>, call: ToolCallRequest, root: string): Required<CallFootprint> {
  const tool = tools.get(call.name);
  const none = { paths: [], locks: [], tree: false };
  if (!tool?.footprint) return none;
  // An invalid call never runs (the runner reports it), so it conflicts with nothing.
  const parsed = parseArguments(tool, call.arguments);
  if (!parsed.ok) return none;
  const footprint = tool.footprint(parsed.args as z.output<z.ZodObject>);
  return { paths: (footprint.paths ?? []).map((p) => comparablePath(p, root)), locks: footprint.locks ?? [], tree: footprint.tree ?? false };
}

/**
 * True when the call with footprint `later` must wait for the earlier one: they share a path or a
 * lock, or `later` spans the tree and `earlier` touches a file or lock in it. A file call after a
 * command does not wait for it (the model asked for no order there), so a long test run does not
 * hold up the edits that follow it.
 */
export function mustWait(earlier: Required<CallFootprint>, later: Required<CallFootprint>): boolean {
  if (later.tree && (earlier.paths.length > 0 || earlier.locks.length > 0)) return true;
  return earlier.paths.some((p) => later.paths.includes(p)) || earlier.locks.some((l) => later.locks.includes(l));
}

/** `./src/a.ts`, `src//a.ts` and `<root>/src/a.ts` are one file. */
function comparablePath(path: string, root: string): string {
  const rel = isAbsolute(path) ? relative(root, path) : path;
  return posix.normalize(rel.replaceAll('\\', '/')).replace(/^(\.\/)+/, '').replace(/\/$/, '');
}
