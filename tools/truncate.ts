// Cutting tool output to a byte budget, keeping the head and the tail: errors and summaries usually
// sit at the end of a log, the command's context at its start.

/** Cut `text` to about `maxBytes` UTF-8 bytes, keeping head and tail with a note of what was cut. */
export function truncateMiddle(text: string, maxBytes: number): { text: string; omittedBytes: number } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, omittedBytes: 0 };
  const headBytes = Math.floor(maxBytes * 0.4);
  const tailBytes = maxBytes - headBytes;
  const omitted = bytes.length - headBytes - tailBytes;
  // toString drops a split multi-byte character as U+FFFD at worst; that is fine for a cut point.
  const head = bytes.subarray(0, headBytes).toString('utf8');
  const tail = bytes.subarray(bytes.length - tailBytes).toString('utf8');
  const omittedLines = bytes.subarray(headBytes, bytes.length - tailBytes).toString('utf8').split('\n').length - 1;
  return {
    text: `${head}\n[... ${omitted} bytes (${omittedLines} lines) cut from the middle of this output ...]\n${tail}`,
    omittedBytes: omitted,
  };
}

/**
 * The first line of a cut result, so that a reader of its start knows at once that it is partial,
 * how big the whole was, and where to read the rest (`savedAt`, when it was kept). `producedBytes`
 * is what the tool saw before its own capture cut it (a command's full output), when it says.
 */
export function cutNotice(text: string, omittedBytes: number, savedAt: string | undefined, producedBytes?: number): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const capturedCut = producedBytes !== undefined && producedBytes > bytes;
  const size = capturedCut ? `${producedBytes} bytes in total, ${bytes} of them (${lines} lines) captured` : `${lines} lines, ${bytes} bytes in total`;
  const where = savedAt ? `; the ${capturedCut ? 'captured' : 'whole'} output is saved at ${savedAt}: read_file it with offset and limit to see the cut part` : '';
  return `[output cut: ${size}; showing its start and its end, ${omittedBytes} bytes cut from the middle${where}]`;
}
