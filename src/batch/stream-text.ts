// Reading a child's output as text: pipe reads end anywhere, also inside a multi-byte character,
// so bytes are decoded by a streaming decoder that holds an unfinished character for the next read.
import { StringDecoder } from 'node:string_decoder';

/** Splits a byte stream into complete UTF-8 lines. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** The lines completed by `chunk`, without their newlines. */
  push(chunk: Buffer): string[] {
    const lines = (this.pending + this.decoder.write(chunk)).split('\n');
    this.pending = lines.pop() ?? '';
    return lines;
  }
}

/** Keeps the last `max` characters of a byte stream, never starting inside a character. */
export class TextTail {
  private readonly decoder = new StringDecoder('utf8');
  private tail = '';

  constructor(private readonly max: number) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let kept = (this.tail + text).slice(-this.max);
    // A cut between the halves of a surrogate pair leaves a lone low half at the start.
    if (/^[\uDC00-\uDFFF]/.test(kept)) kept = kept.slice(1);
    this.tail = kept;
  }

  get text(): string {
    return this.tail;
  }
}
