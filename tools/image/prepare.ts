// Images for vision models: check that bytes are a png/jpeg/webp/gif, and shrink them to the
// provider's pixel limit (keeping the aspect ratio) with sharp, as a data URL the chat API takes.

/** An image ready to send as an `image_url` content part. */
export interface PreparedImage {
  /** `data:<mime>;base64,...` */
  url: string;
  width: number;
  height: number;
  /** Bytes of the encoded image sent. */
  bytes: number;
}

/** Formats the chat API takes, by the name sharp reports. */
const SENDABLE = new Map([
  ['png', 'image/png'],
  ['jpeg', 'image/jpeg'],
  ['webp', 'image/webp'],
  ['gif', 'image/gif'],
]);

export const MAX_IMAGE_FILE_BYTES = 20 * 1024 * 1024; // refuse larger files before decoding them

/** A clear refusal: not an image, an unsupported format, or too large. */
export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

/** Decode `data` (named `label` in errors) and fit it within `maxPixels`. */
export async function prepareImage(data: Buffer, label: string, maxPixels: number): Promise<PreparedImage> {
  if (data.length > MAX_IMAGE_FILE_BYTES) throw new ImageError(`${label} is ${data.length} bytes; images over ${MAX_IMAGE_FILE_BYTES} bytes are refused`);
  // sharp (a native library) loads on the first image, not when sprout starts.
  const { default: sharp } = await import('sharp');
  const meta = await sharp(data, { animated: false }).metadata().catch(() => undefined);
  const mime = meta?.format ? SENDABLE.get(meta.format) : undefined;
  if (!meta || !mime || !meta.width || !meta.height) {
    throw new ImageError(`${label} is not a png, jpeg, webp or gif image`);
  }
  const pixels = meta.width * meta.height;
  if (pixels <= maxPixels) return asDataUrl(data, mime, meta.width, meta.height);
  const scale = Math.sqrt(maxPixels / pixels);
  const width = Math.max(1, Math.floor(meta.width * scale));
  const height = Math.max(1, Math.floor(meta.height * scale));
  // GIFs and WebPs are re-encoded as PNG: one still frame is what the model looks at.
  const outMime = mime === 'image/jpeg' ? 'image/jpeg' : 'image/png';
  const resized = sharp(data, { animated: false }).resize(width, height, { fit: 'fill' });
  const out = await (outMime === 'image/jpeg' ? resized.jpeg({ quality: 85 }) : resized.png()).toBuffer();
  return asDataUrl(out, outMime, width, height);
}

function asDataUrl(bytes: Buffer, mime: string, width: number, height: number): PreparedImage {
  return { url: `data:${mime};base64,${bytes.toString('base64')}`, width, height, bytes: bytes.length };
}
