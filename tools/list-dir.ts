// list_dir: a directory as an indented tree, a few levels deep, so the model can see a project's
// layout in one call. The structure comes from ctx.sandbox.listDir (every name, exactly, empty
// directories too); whether an entry is ignored comes from rg (see search/visible-files.ts). The
// tree is filled breadth-first under one entry budget, so a huge subdirectory cannot crowd out the
// top levels.
import { z } from 'zod';
import type { ToolContext } from './define-tool.js';
import { defineTool, ToolError } from './define-tool.js';
import { firstErrors, joinRel, resolveTarget, SEARCH_OUTPUT_BYTES } from './search/ripgrep.js';
import { visibleFiles, type VisibleFiles } from './search/visible-files.js';

const DEFAULT_DEPTH = 2; // levels shown by default
const MAX_DEPTH = 6; // deeper trees are better explored a subdirectory at a time
const MAX_PER_DIR = 50; // entries shown per directory before `… N more`
const MAX_ENTRIES = 300; // entries in the whole tree

/** One entry of the tree. */
interface Node {
  name: string;
  /** Relative to the listed directory; '' for the listed directory itself. */
  rel: string;
  kind: 'dir' | 'file' | 'link';
  /** Non-ignored files at or below a directory, when rg listed any. */
  files?: number;
  /** Shown after a directory's name: `(ignored)`, `(empty)`, `(unreadable)`. */
  note?: string;
  children?: Node[];
  /** `… N more files` when not every child is shown. */
  more?: string;
}

const parameters = z.object({
  path: z.string().optional().describe('Directory (default .)'),
  depth: z
    .number()
    .int()
    .min(1)
    .max(MAX_DEPTH)
    .optional()
    .describe(`Levels to show (default ${DEFAULT_DEPTH})`),
});

export const listDir = defineTool({
  name: 'list_dir',
  description:
    "List a directory as an indented tree to learn a project's layout; gitignored directories are " +
    'not expanded.',
  parameters,
  async execute(args, ctx) {
    const target = await resolveTarget(ctx, args.path);
    if (target.type !== 'directory') throw new ToolError(`${args.path ?? '.'} is a file, not a directory; read it with read_file`);
    const depth = args.depth ?? DEFAULT_DEPTH;
    const visible = await visibleFiles(ctx, target.rel, depth);
    const root: Node = { name: target.rel, rel: '', kind: 'dir' };
    const stopped = await expand(ctx, target.rel, root, depth, visible);
    const lines = [`${target.rel}/${root.note ? ` ${root.note}` : ''}`];
    render(root, '  ', lines);
    const notes: string[] = [];
    const shown = withinBudget(lines);
    if (stopped || shown.length < lines.length) {
      notes.push(`(the tree stops here, at its size limit; list a subdirectory or use a smaller depth to see the rest)`);
    }
    if (!visible.complete) notes.push('(rg could not check the whole tree against .gitignore, so some ignored entries may be listed)');
    if (visible.errors) notes.push(`(rg could not read part of the tree: ${firstErrors(visible.errors)})`);
    return { output: [...shown, ...notes].join('\n'), details: { path: target.rel, depth, entries: lines.length - 1 } };
  },
});

/** Fill in children breadth-first, up to `depth` levels and MAX_ENTRIES in all; true when the budget ran out. */
async function expand(ctx: ToolContext, base: string, root: Node, depth: number, visible: VisibleFiles): Promise<boolean> {
  const queue: { node: Node; level: number }[] = [{ node: root, level: 0 }];
  let budget = MAX_ENTRIES;
  let stopped = false;
  for (let item = queue.shift(); item && !stopped; item = queue.shift()) {
    const children = await childrenOf(ctx, base, item.node, visible);
    if (!children) {
      item.node.note = '(unreadable)';
      continue;
    }
    const wanted = Math.min(children.length, MAX_PER_DIR);
    const take = Math.min(wanted, budget);
    stopped = take < wanted;
    budget -= take;
    item.node.children = children.slice(0, take);
    item.node.more = describeMore(children.slice(take));
    for (const child of item.node.children) {
      if (child.kind !== 'dir') continue;
      if (child.files === undefined && visible.complete) child.note = await unlistedNote(ctx, base, child.rel, visible);
      else if (item.level + 1 < depth) queue.push({ node: child, level: item.level + 1 });
    }
    if (budget === 0 && queue.length > 0) stopped = true;
  }
  return stopped;
}

/** The entries of a directory, directories first, ignored files and .git left out; undefined when unreadable. */
async function childrenOf(ctx: ToolContext, base: string, node: Node, visible: VisibleFiles): Promise<Node[] | undefined> {
  const path = node.rel === '' ? base : joinRel(base, node.rel);
  const entries = await ctx.sandbox.listDir(path).catch(() => undefined);
  if (!entries) return undefined;
  const dirs: Node[] = [];
  const others: Node[] = [];
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const rel = node.rel === '' ? entry.name : `${node.rel}/${entry.name}`;
    const files = visible.counts.get(rel);
    if (entry.type === 'directory') dirs.push({ name: entry.name, rel, kind: 'dir', files });
    // rg does not follow symlinks, so it cannot say whether one is ignored: show them all.
    else if (entry.type === 'symlink') others.push({ name: entry.name, rel, kind: 'link' });
    else if (entry.type === 'file' && (files !== undefined || !visible.complete)) others.push({ name: entry.name, rel, kind: 'file' });
  }
  return [...dirs, ...others];
}

/**
 * Why rg listed no file below a directory. `(ignored)` stands for "nothing in it is searched", which
 * is also true of a directory holding only ignored files: either way grep and glob find nothing there.
 */
async function unlistedNote(ctx: ToolContext, base: string, rel: string, visible: VisibleFiles): Promise<string> {
  // The host may read what the sandboxed rg could not: rg's own error decides.
  if (visible.unreadable.has(rel)) return '(unreadable)';
  const entries = await ctx.sandbox.listDir(joinRel(base, rel)).catch(() => undefined);
  if (!entries) return '(unreadable)';
  return entries.length === 0 ? '(empty)' : '(ignored)';
}

/** `… 3 more directories and 240 more files` for the children not shown. */
function describeMore(rest: Node[]): string | undefined {
  if (rest.length === 0) return undefined;
  const dirs = rest.filter((n) => n.kind === 'dir').length;
  const files = rest.length - dirs;
  const parts = [
    ...(dirs > 0 ? [`${dirs} more ${dirs === 1 ? 'directory' : 'directories'}`] : []),
    ...(files > 0 ? [`${files} more ${files === 1 ? 'file' : 'files'}`] : []),
  ];
  return `… ${parts.join(' and ')}`;
}

function render(node: Node, indent: string, out: string[]): void {
  for (const child of node.children ?? []) {
    out.push(`${indent}${label(child)}`);
    if (child.children) render(child, `${indent}  `, out);
  }
  if (node.more) out.push(`${indent}${node.more}`);
}

function label(node: Node): string {
  if (node.kind === 'link') return `${node.name}@`;
  if (node.kind === 'file') return node.name;
  if (node.note) return `${node.name}/ ${node.note}`;
  if (!node.children && node.files !== undefined) return `${node.name}/ (${node.files} file${node.files === 1 ? '' : 's'})`;
  return `${node.name}/`;
}

/** The lines that fit the output budget. */
function withinBudget(lines: string[]): string[] {
  let bytes = 0;
  const index = lines.findIndex((line) => (bytes += Buffer.byteLength(line) + 1) > SEARCH_OUTPUT_BYTES);
  return index === -1 ? lines : lines.slice(0, index);
}
