// write_file: create a file or replace its whole content.
import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const writeFile = defineTool({
  name: 'write_file',
  description:
    'Create or overwrite a file (parent directories are created). To change part of a file use edit_file.',
  parameters: z.object({
    path: z.string().describe('File path'),
    content: z.string().describe('Whole new content'),
  }),
  footprint: (args) => ({ paths: [args.path] }),
  async execute(args, ctx) {
    const existed = await ctx.sandbox.exists(args.path);
    await ctx.sandbox.writeFile(args.path, args.content);
    const bytes = Buffer.byteLength(args.content);
    return {
      output: `${existed ? 'Overwrote' : 'Created'} ${args.path} (${bytes} bytes)`,
      details: { path: args.path, bytes, created: !existed },
    };
  },
});
