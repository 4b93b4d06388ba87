// write_file: create a file or replace its whole content.
import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const writeFile = defineTool({
  name: 'write_file',
  description:
    'Create a file, or overwrite an existing one, with the given content. Missing parent directories ' +
    'are created. For changing part of an existing file prefer edit_file.',
  parameters: z.object({
    path: z.string().describe('File path, relative to the working directory'),
    content: z.string().describe('The complete new content of the file'),
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
