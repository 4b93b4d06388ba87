// insert_lines: add text at a line position without having to quote surrounding text, in the file's
// own encoding and line breaks; a binary file is refused.
import { z } from 'zod';
import { defineTool, ToolError } from './define-tool.js';
import { decodeFile, encodeFile, inFileTerms } from './text/file-text.js';

export const insertLines = defineTool({
  name: 'insert_lines',
  description:
    'Insert text into a file after a line number as read_file shows it. Prefer edit_file when you ' +
    'can quote nearby text.',
  parameters: z.object({
    path: z.string().describe('File path'),
    after_line: z.number().int().min(0).describe('Insert after this line; 0 = at the top'),
    text: z.string().describe('Lines to insert'),
  }),
  footprint: (args) => ({ paths: [args.path] }),
  async execute(args, ctx) {
    const file = decodeFile(args.path, await ctx.sandbox.readFile(args.path));
    const content = file.text;
    const endsWithNewline = content === '' || content.endsWith('\n');
    const lines = content === '' ? [] : content.replace(/\n$/, '').split('\n');
    if (args.after_line > lines.length) {
      throw new ToolError(`after_line ${args.after_line} is past the end of ${args.path}, which has ${lines.length} lines`);
    }
    const inserted = inFileTerms(args.text, file).replace(/\n$/, '').split('\n');
    lines.splice(args.after_line, 0, ...inserted);
    await ctx.sandbox.writeFile(args.path, encodeFile(args.path, file, lines.join('\n') + (endsWithNewline ? '\n' : '')));
    const first = args.after_line + 1;
    return {
      output: `Inserted ${inserted.length} line${inserted.length === 1 ? '' : 's'} into ${args.path} at lines ${first}-${first + inserted.length - 1}`,
      details: { path: args.path, lines: inserted.length },
    };
  },
});
