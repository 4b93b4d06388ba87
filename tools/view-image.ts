// view_image: let a vision model look at an image file in the working directory (a screenshot in
// the issue, a rendered page, a design), shrunk to the provider's pixel limit.
import { z } from 'zod';
import { defineTool, ToolError } from './define-tool.js';
import { ImageError, MAX_IMAGE_FILE_BYTES, prepareImage } from './image/prepare.js';

export const viewImage = defineTool({
  name: 'view_image',
  description: 'Look at a png, jpg, webp or gif file; it is shown to you after the tool results.',
  parameters: z.object({
    path: z.string().describe('Image path'),
  }),
  footprint: (args) => ({ paths: [args.path] }),
  async execute(args, ctx) {
    const maxPixels = ctx.limits.maxImagePixels;
    if (!maxPixels) throw new ToolError('this model does not take images');
    const info = await ctx.sandbox.stat(args.path);
    if (!info) throw new ToolError(`no such file: ${args.path}`);
    if (info.type !== 'file') throw new ToolError(`${args.path} is not a regular file`);
    if (info.size > MAX_IMAGE_FILE_BYTES) throw new ToolError(`${args.path} is ${info.size} bytes; images over ${MAX_IMAGE_FILE_BYTES} bytes are refused`);
    try {
      const image = await prepareImage(await ctx.sandbox.readFile(args.path), args.path, maxPixels);
      return {
        output: `${args.path}: ${image.width}x${image.height} image, shown in the next message`,
        images: [{ url: image.url, label: args.path }],
        details: { width: image.width, height: image.height, bytes: image.bytes },
      };
    } catch (error) {
      if (error instanceof ImageError) throw new ToolError(error.message);
      throw error;
    }
  },
});
