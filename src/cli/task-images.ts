// Images that come with the task: `--image FILE` (the user's own files) and images an issue links
// to by a relative path (read through the sandbox, so only files inside the working directory).
// Each is checked and shrunk for the model; a model without vision gets a note instead.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Sandbox } from '../../sandbox/types.js';
import type { ToolImage } from '../../tools/define-tool.js';
import type { AgentEvent } from '../agent/events.js';
import { InputError } from '../errors.js';

/** Markdown image links with a relative path: `![alt](shots/bug.png)`, not URLs or absolute paths. */
const IMAGE_LINK = /!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** The relative image paths an issue text links to, in order, once each. */
export function linkedImagePaths(text: string): string[] {
  const paths = [...text.matchAll(IMAGE_LINK)].map((m) => m[1]!).filter((p) => !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.startsWith('/'));
  return [...new Set(paths)];
}

/** The task's images ready for the model, and warnings for linked ones that could not be used. */
export async function taskImages(
  options: { files: readonly string[]; issueText?: string; maxPixels: number | undefined; sandbox: Sandbox },
): Promise<{ images: ToolImage[]; warnings: AgentEvent[]; leftOut: number }> {
  const linked = options.issueText ? linkedImagePaths(options.issueText) : [];
  if (!options.maxPixels) return { images: [], warnings: [], leftOut: options.files.length + linked.length };
  if (options.files.length === 0 && linked.length === 0) return { images: [], warnings: [], leftOut: 0 };
  // The image library (sharp) loads only when a task has images.
  const { prepareImage } = await import('../../tools/image/prepare.js');
  const images: ToolImage[] = [];
  for (const file of options.files) images.push(await userImage(file, options.maxPixels));
  const warnings: AgentEvent[] = [];
  for (const path of linked) {
    try {
      const data = await options.sandbox.readFile(path);
      images.push({ url: (await prepareImage(data, path, options.maxPixels)).url, label: path });
    } catch (error) {
      warnings.push({ type: 'warning', message: `the issue links to ${path}, which was not attached: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  return { images, warnings, leftOut: 0 };
}

/** An image named with --image: a missing or non-image file is the user's error (exit 2). */
async function userImage(file: string, maxPixels: number): Promise<ToolImage> {
  const { ImageError, MAX_IMAGE_FILE_BYTES, prepareImage } = await import('../../tools/image/prepare.js');
  const path = resolve(file);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new InputError(`--image ${file}: no such file`);
  if (info.size > MAX_IMAGE_FILE_BYTES) throw new InputError(`--image ${file}: ${info.size} bytes; images over ${MAX_IMAGE_FILE_BYTES} bytes are refused`);
  try {
    return { url: (await prepareImage(await readFile(path), file, maxPixels)).url, label: file };
  } catch (error) {
    if (error instanceof ImageError) throw new InputError(`--image ${error.message}`);
    throw error;
  }
}
