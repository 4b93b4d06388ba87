// undo_edit: put a file back as it was before the last change a file tool made to it in this run.
import { z } from 'zod';
import { defineTool, ToolError } from './define-tool.js';

export const undoEdit = defineTool({
  name: 'undo_edit',
  description:
    "Undo the last file-tool change to a file in this run (again to step further back); shell " +
    'changes are not undone.',
  parameters: z.object({
    path: z.string().describe('File path'),
  }),
  footprint: (args) => ({ paths: [args.path] }),
  async execute(args, ctx) {
    if (!ctx.history) throw new ToolError('undo is not available in this run');
    const result = await ctx.history.undo(args.path);
    if (!result.restored) throw new ToolError(`no change to ${args.path} by a file tool in this run to undo`);
    const what = result.deleted ? `Deleted ${args.path}, which the undone change had created` : `Restored ${args.path}`;
    return { output: `${what}; ${result.left} earlier change${result.left === 1 ? '' : 's'} can still be undone`, details: result };
  },
});
