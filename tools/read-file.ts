// read_file: show a text file with line numbers, a window at a time, so the model can cite and edit lines.
import { z } from 'zod';
import { defineTool, ToolError } from './define-tool.js';
import { decodeFile } from './text/file-text.js';

const DEFAULT_LIMIT = 2000; // lines shown when the model gives no limit
const MAX_LINE_CHARS = 2000; // longer lines are cut; minified files would flood the context

export const readFile = defineTool({
  name: 'read_file',
  description:
    'Read a text file. Lines are numbered ("  12\\tcode"; numbers are not in the file), up to 2000 ' +
    'from `offset`; read large files in windows.',
  parameters: z.object({
    path: z.string().describe('File path'),
    offset: z.number().int().min(1).optional().describe('First line, 1-based'),
    limit: z.number().int().min(1).optional().describe('Lines to show'),
  }),
  footprint: (args) => ({ paths: [args.path] }),
  async execute(args, ctx) {
    const data = await ctx.sandbox.readFile(args.path);
    const image = imageKind(data);
    if (image) {
      // The model cannot see images through this API yet; say what the file is instead.
      return { output: `${args.path} is a ${image} image (${data.length} bytes); images cannot be shown here, only text files`, details: { image } };
    }
    if (data.includes(0)) {
      throw new ToolError(`${args.path} is a binary file (${data.length} bytes); read_file shows text files only`);
    }
    // Decoded as the edit tools decode it, so text copied from here matches (a Latin-1 `é` stays `é`).
    const lines = decodeFile(args.path, data).text.split('\n');
    if (lines.at(-1) === '') lines.pop(); // a final newline does not start another line
    const start = (args.offset ?? 1) - 1;
    if (lines.length === 0) return { output: `(${args.path} is empty)` };
    if (start >= lines.length) {
      throw new ToolError(`offset ${start + 1} is past the end of ${args.path}, which has ${lines.length} lines`);
    }
    const end = Math.min(lines.length, start + (args.limit ?? DEFAULT_LIMIT));
    const width = String(end).length;
    const shown = lines.slice(start, end).map((line, i) => {
      const text = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [line cut]` : line;
      return `${String(start + i + 1).padStart(width)}\t${text}`;
    });
    if (end < lines.length) {
      shown.push(`(showing lines ${start + 1}-${end} of ${lines.length}; pass offset=${end + 1} to read on)`);
    }
    return { output: shown.join('\n'), details: { lines: end - start, totalLines: lines.length } };
  },
});

/** The image format of a file by its first bytes, if it is one. */
function imageKind(data: Buffer): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'PNG';
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'GIF';
  if (starts(0x52, 0x49, 0x46, 0x46) && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'WebP';
  return undefined;
}
