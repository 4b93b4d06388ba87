// A file's bytes as text an edit tool can change without damaging what it does not touch. UTF-8 is
// read as UTF-8 (a byte-order mark kept); any other bytes are read as Latin-1, which maps every byte
// to one character and back, so a legacy-encoded file keeps its untouched bytes exactly. A file whose
// line breaks are all CRLF is handed over with LF breaks and every LF is written back as CRLF, so the
// lines sprout writes (blank ones included) follow the file's own style. A file with a NUL byte is
// binary and no edit tool changes it.
import { ToolError } from '../define-tool.js';

/** A decoded file and how to encode it again. */
export interface FileText {
  /** The content with LF breaks when the file is CRLF. */
  text: string;
  encoding: 'utf8' | 'latin1';
  /** True when every line break of the file is CRLF. */
  crlf: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode `bytes` of `path` for editing; throws a ToolError for a binary file. */
export function decodeFile(path: string, bytes: Buffer): FileText {
  if (bytes.includes(0)) {
    throw new ToolError(`${path} is a binary file (${bytes.length} bytes); edit tools change text files only. Use shell with a tool made for its format if it must change`);
  }
  let text: string;
  let encoding: FileText['encoding'] = 'utf8';
  try {
    text = utf8.decode(bytes);
  } catch {
    text = bytes.toString('latin1');
    encoding = 'latin1';
  }
  const breaks = countOf(text, '\n');
  const crlf = breaks > 0 && countOf(text, '\r\n') === breaks;
  return { text: crlf ? text.replaceAll('\r\n', '\n') : text, encoding, crlf };
}

/** Text the model gave, in the file's terms: CRLF breaks of a CRLF file read as LF, like its content. */
export function inFileTerms(text: string, file: FileText): string {
  return file.crlf ? text.replaceAll('\r\n', '\n') : text;
}

/** The bytes of `text` written as `file` was: its line breaks and its encoding. */
export function encodeFile(path: string, file: FileText, text: string): Buffer {
  const out = file.crlf ? text.replaceAll('\n', '\r\n') : text;
  if (file.encoding === 'utf8') return Buffer.from(out, 'utf8');
  const unfit = [...new Set(out.match(/[^\u0000-\u00ff]/gu) ?? [])];
  if (unfit.length > 0) {
    throw new ToolError(
      `${path} is not UTF-8 (its bytes are kept as they are, one character per byte), and the new text has characters it cannot hold: ` +
        `${unfit.slice(0, 5).map((c) => JSON.stringify(c)).join(', ')}. Use only characters U+0000-U+00FF in this file, or convert it to UTF-8 first with shell (e.g. iconv)`,
    );
  }
  return Buffer.from(out, 'latin1');
}

function countOf(text: string, piece: string): number {
  let count = 0;
  for (let at = text.indexOf(piece); at !== -1; at = text.indexOf(piece, at + piece.length)) count++;
  return count;
}
