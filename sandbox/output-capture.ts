// Bounded capture of a process's output: keeps the first half and the last half of the cap and only
// counts what falls in between, so a command like `yes` cannot grow memory. The head shows how a
// command started, the tail how it ended (errors and summaries usually come last).

/** What a capture holds once the process is done. */
export interface CapturedOutput {
  /** Decoded text, with a marker line where bytes were dropped. */
  output: string;
  /** Every byte written, kept or not. */
  totalBytes: number;
  /** Bytes not in `output` (the middle, plus partial characters cut at its edges). */
  omittedBytes: number;
}

/** Collects chunks from any number of streams, in arrival order, keeping at most `maxBytes`. */
export class OutputCapture {
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer[] = [];
  private headLength = 0;
  // The tail is a ring buffer, allocated only once the head is full so short outputs stay cheap.
  private ring: Buffer | undefined;
  private ringWrite = 0;
  private ringLength = 0;
  private total = 0;

  constructor(maxBytes: number) {
    const cap = Number.isFinite(maxBytes) ? Math.max(0, Math.floor(maxBytes)) : 0;
    this.headCap = Math.floor(cap / 2);
    this.tailCap = cap - this.headCap;
  }

  write(chunk: Uint8Array): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headLength < this.headCap) {
      const take = Math.min(this.headCap - this.headLength, rest.length);
      // Copy: a slice would pin the stream's whole chunk in memory.
      this.head.push(Buffer.from(rest.subarray(0, take)));
      this.headLength += take;
      rest = rest.subarray(take);
    }
    if (rest.length > 0 && this.tailCap > 0) this.writeTail(rest);
  }

  private writeTail(bytes: Uint8Array): void {
    const ring = (this.ring ??= Buffer.alloc(this.tailCap));
    const cap = ring.length;
    // Only the last `cap` bytes of a big chunk can survive; skip the rest instead of copying it around.
    const data = bytes.length > cap ? bytes.subarray(bytes.length - cap) : bytes;
    const first = Math.min(data.length, cap - this.ringWrite);
    ring.set(data.subarray(0, first), this.ringWrite);
    ring.set(data.subarray(first), 0);
    this.ringWrite = (this.ringWrite + data.length) % cap;
    this.ringLength = Math.min(cap, this.ringLength + data.length);
  }

  /** The tail bytes, oldest first. */
  private tail(): Buffer {
    if (!this.ring || this.ringLength === 0) return Buffer.alloc(0);
    if (this.ringLength < this.ring.length) return this.ring.subarray(0, this.ringLength);
    return Buffer.concat([this.ring.subarray(this.ringWrite), this.ring.subarray(0, this.ringWrite)]);
  }

  result(): CapturedOutput {
    const head = Buffer.concat(this.head);
    const tail = this.tail();
    const dropped = this.total - head.length - tail.length;
    if (dropped === 0) {
      return { output: decode(Buffer.concat([head, tail])), totalBytes: this.total, omittedBytes: 0 };
    }
    // The cut can split a multi-byte character; drop its pieces rather than show two replacement marks.
    const keptHead = head.subarray(0, head.length - incompleteEnd(head));
    const keptTail = tail.subarray(continuationStart(tail));
    const omitted = this.total - keptHead.length - keptTail.length;
    return {
      output: `${decode(keptHead)}\n[... ${omitted} bytes omitted ...]\n${decode(keptTail)}`,
      totalBytes: this.total,
      omittedBytes: omitted,
    };
  }
}

/**
 * UTF-8 with invalid bytes replaced by U+FFFD. NUL bytes are replaced too: they end C strings and
 * break some JSON consumers and terminals, and binary output must come back as harmless text.
 */
export function decode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').replaceAll('\0', '\uFFFD');
}

/** Bytes at the end that start a UTF-8 character whose remaining bytes are missing. */
function incompleteEnd(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

/** Continuation bytes at the start, left over from a character whose first byte was dropped. */
function continuationStart(bytes: Uint8Array): number {
  let skip = 0;
  while (skip < Math.min(3, bytes.length) && (bytes[skip]! & 0xc0) === 0x80) skip++;
  return skip;
}
