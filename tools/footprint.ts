// Which calls of one turn conflict: those that name the same file or the same lock (e.g. git writes).
// Conflicting calls run in the model's order; the rest may run at the same time.
import { isAbsolute, posix, relative } from 'node:path';
import type { z } from 'zod';
import type { CallFootprint, Tool } from './define-tool.js';
import { parseArguments, type ToolCallRequest } from './runner.js';

/** A call's footprint with paths made comparable; empty when the call is invalid or declares none. */
export function callFootprint(tools: ReadonlyMap<string, Tool>, call: ToolCallRequest, root: string): Required<CallFootprint> {
  const tool = tools.get(call.name);
  if (!tool?.footprint) return { paths: [], locks: [] };
  // An invalid call never runs (the runner reports it), so it conflicts with nothing.
  const parsed = parseArguments(tool, call.arguments);
  if (!parsed.ok) return { paths: [], locks: [] };
  const footprint = tool.footprint(parsed.args as z.output<z.ZodObject>);
  return { paths: (footprint.paths ?? []).map((p) => comparablePath(p, root)), locks: footprint.locks ?? [] };
}

/** True when two footprints share a path or a lock. */
export function conflicts(a: Required<CallFootprint>, b: Required<CallFootprint>): boolean {
  return a.paths.some((p) => b.paths.includes(p)) || a.locks.some((l) => b.locks.includes(l));
}

/** `./src/a.ts`, `src//a.ts` and `<root>/src/a.ts` are one file. */
function comparablePath(path: string, root: string): string {
  const rel = isAbsolute(path) ? relative(root, path) : path;
  return posix.normalize(rel.replaceAll('\\', '/')).replace(/^(\.\/)+/, '').replace(/\/$/, '');
}
