// apply_patch: change several files with one Codex-style patch, all or nothing. The work is split in
// three: parse the text (parser.ts), compute every file's new content in memory (plan.ts), and only
// then write (commit.ts), restoring what was written when the file system fails midway.
import { z } from 'zod';
import { defineTool, ToolError } from '../define-tool.js';
import { commitPlan } from './commit.js';
import { APPLY_PATCH_DESCRIPTION } from './description.js';
import { parsePatch, patchPaths } from './parser.js';
import { planPatch, type OpSummary, type PatchPlan } from './plan.js';

export const applyPatch = defineTool({
  name: 'apply_patch',
  description: APPLY_PATCH_DESCRIPTION,
  parameters: z.object({
    patch: z.string().describe('The patch text'),
  }),
  footprint(args) {
    const paths = patchPaths(args.patch);
    return paths ? { paths } : {};
  },
  async execute(args, ctx) {
    let plan: PatchPlan;
    try {
      plan = await planPatch(parsePatch(args.patch), ctx.sandbox);
    } catch (error) {
      // Say it every time: a model that is unsure whether half a patch landed re-reads every file.
      if (error instanceof ToolError) throw new ToolError(`${error.message}\nNo file was changed; fix the patch and send all of it again.`);
      throw error;
    }
    if (ctx.signal.aborted) throw new ToolError('the run was interrupted before the patch was written; no file was changed');
    await commitPlan(plan.effects, ctx.sandbox);
    return { output: summarize(plan.summary), details: { files: plan.summary } };
  },
});

/** One line per operation: `A path (+n)`, `M path (+n -m)`, `D path (-m)`, `R old -> new (+n -m)`. */
function summarize(summary: readonly OpSummary[]): string {
  const lines = summary.map((op) => {
    const counts = op.kind === 'add' ? `+${op.added}` : op.kind === 'delete' ? `-${op.removed}` : `+${op.added} -${op.removed}`;
    const notes = [counts, ...op.loose].join('; ');
    const name = op.kind === 'move' ? `R ${op.path} -> ${op.to}` : `${op.kind === 'add' ? 'A' : op.kind === 'delete' ? 'D' : 'M'} ${op.path}`;
    return `${name} (${notes})`;
  });
  return `Applied the patch:\n${lines.join('\n')}`;
}
