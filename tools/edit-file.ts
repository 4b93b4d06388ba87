// edit_file: replace an exact, unique piece of text in a file. Exactness is the point: an edit that
// lands somewhere the model did not mean is worse than an error it can correct. The file keeps its
// encoding and line breaks (tools/text/file-text.ts); a binary file is refused.
import { z } from 'zod';
import { defineTool, ToolError } from './define-tool.js';
import { closestPlace, excerptAround } from './text/closest.js';
import { decodeFile, encodeFile, inFileTerms } from './text/file-text.js';

export const editFile = defineTool({
  name: 'edit_file',
  description:
    'Replace text in a file. `old_string` must match exactly (indentation included, no read_file line ' +
    'numbers) and occur once, unless `replace_all`; include enough lines to make it unique.',
  parameters: z.object({
    path: z.string().describe('File path'),
    old_string: z.string().min(1).describe('Text to replace'),
    new_string: z.string().describe('Replacement text'),
    replace_all: z.boolean().optional().describe('Replace every occurrence'),
  }),
  footprint: (args) => ({ paths: [args.path] }),
  async execute(args, ctx) {
    if (args.old_string === args.new_string) {
      throw new ToolError('old_string and new_string are identical; nothing would change');
    }
    const file = decodeFile(args.path, await ctx.sandbox.readFile(args.path));
    const text = file.text;
    const [oldString, newString] = [inFileTerms(args.old_string, file), inFileTerms(args.new_string, file)];
    const lines = occurrenceLines(text, oldString);
    if (lines.length === 0) {
      throw new ToolError(`old_string was not found in ${args.path}.${await closestHint(text, oldString)}`);
    }
    if (lines.length > 1 && !args.replace_all) {
      throw new ToolError(
        `old_string occurs ${lines.length} times in ${args.path} (lines ${lines.join(', ')}); ` +
          'add surrounding lines to make it unique, or set replace_all to true',
      );
    }
    const updated = args.replace_all ? text.split(oldString).join(newString) : text.replace(oldString, () => newString);
    await ctx.sandbox.writeFile(args.path, encodeFile(args.path, file, updated));
    const where = lines.length === 1 ? `line ${lines[0]}` : `${lines.length} places`;
    return { output: `Edited ${args.path} at ${where}`, details: { path: args.path, replacements: lines.length } };
  },
});

/** 1-based line numbers where each occurrence of `needle` starts. */
function occurrenceLines(text: string, needle: string): number[] {
  const lines: number[] = [];
  let from = 0;
  for (let at = text.indexOf(needle, from); at !== -1; at = text.indexOf(needle, from)) {
    lines.push(text.slice(0, at).split('\n').length);
    from = at + needle.length;
  }
  return lines;
}

/** Point the model at the place most like what it looked for, or tell it to read the file again. */
async function closestHint(text: string, needle: string): Promise<string> {
  const lines = text.split('\n');
  const place = await closestPlace(lines, needle.split('\n'));
  if (place === undefined) return ' Read the file again and copy the text exactly.';
  return ` The closest text is near line ${place + 1}:\n${excerptAround(lines, place, needle.split('\n').length)}`;
}
