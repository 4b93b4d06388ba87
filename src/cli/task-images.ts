// Images that come with the task: `--image FILE` (the user's own files), images an issue links to by
// a relative path (read through the sandbox, so only files inside the working directory) and, when
// the run may use the network, by URL (fetched with the egress checks: no private addresses, no
// redirects, a size cap). Each is checked and shrunk for the model; a model without vision gets a
// note instead.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EgressPolicy } from '../../sandbox/egress-policy.js';
import { fetchChecked } from '../../sandbox/egress-fetch.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { ToolImage } from '../../tools/define-tool.js';
import type { AgentEvent } from '../agent/events.js';
import { InputError } from '../errors.js';

/** Markdown image links with a relative path: `![alt](shots/bug.png)`, not URLs or absolute paths. */
const IMAGE_LINK = /!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** The relative image paths and the http(s) image URLs an issue text links to, in order, once each. */
export function linkedImages(text: string): { paths: string[]; urls: string[] } {
  const targets = [...new Set([...text.matchAll(IMAGE_LINK)].map((m) => m[1]!))];
  return {
    paths: targets.filter((p) => !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.startsWith('/')),
    urls: targets.filter((p) => /^https?:\/\//i.test(p)),
  };
}

/** The task's images ready for the model, and warnings for linked ones that could not be used. */
export async function taskImages(options: {
  files: readonly string[];
  issueText?: string;
  maxPixels: number | undefined;
  sandbox: Sandbox;
  /** Where image URLs may be fetched from; undefined when the run has no network. */
  network?: EgressPolicy;
}): Promise<{ images: ToolImage[]; warnings: AgentEvent[]; leftOut: number }> {
  const linked = options.issueText ? linkedImages(options.issueText) : { paths: [], urls: [] };
  const maxPixels = options.maxPixels;
  if (!maxPixels) return { images: [], warnings: [], leftOut: options.files.length + linked.paths.length + linked.urls.length };
  if (options.files.length === 0 && linked.paths.length === 0 && linked.urls.length === 0) return { images: [], warnings: [], leftOut: 0 };
  // The image library (sharp) loads only when a task has images.
  const { MAX_IMAGE_FILE_BYTES, prepareImage } = await import('../../tools/image/prepare.js');
  const images: ToolImage[] = [];
  for (const file of options.files) images.push(await userImage(file, maxPixels));
  const warnings: AgentEvent[] = [];
  const attach = async (label: string, bytes: () => Promise<Buffer>): Promise<void> => {
    try {
      images.push({ url: (await prepareImage(await bytes(), label, maxPixels)).url, label });
    } catch (error) {
      warnings.push({ type: 'warning', message: `the issue links to ${label}, which was not attached: ${(error as Error).message.split('\n')[0]}` });
    }
  };
  for (const path of linked.paths) await attach(path, () => options.sandbox.readFile(path));
  for (const url of linked.urls) {
    const policy = options.network;
    if (policy) await attach(url, async () => (await fetchChecked(url, policy, MAX_IMAGE_FILE_BYTES)).body);
    else warnings.push({ type: 'warning', message: `the issue links to ${url}, which was not fetched: the run has no network access (--network or --allow-domain)` });
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
