// The bounded head-and-tail output capture.
import { describe, expect, it } from 'vitest';
import { OutputCapture, decode } from '../../sandbox/output-capture.js';

function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

describe('OutputCapture', () => {
  it('keeps everything under the cap, in write order', () => {
    const capture = new OutputCapture(100);
    capture.write(bytes('out1\n'));
    capture.write(bytes('err1\n'));
    expect(capture.result()).toEqual({ output: 'out1\nerr1\n', totalBytes: 10, omittedBytes: 0 });
  });

  it('keeps the first and last half of the cap and marks what it dropped', () => {
    const capture = new OutputCapture(10);
    capture.write(bytes('0123456789abcdefghij'));
    expect(capture.result()).toEqual({
      output: '01234\n[... 10 bytes omitted ...]\nfghij',
      totalBytes: 20,
      omittedBytes: 10,
    });
  });

  it('keeps the true last bytes when many small writes wrap the ring', () => {
    const capture = new OutputCapture(64);
    let all = '';
    for (let i = 0; i < 1000; i++) {
      const piece = `${i},`;
      all += piece;
      capture.write(bytes(piece));
    }
    const { output, totalBytes, omittedBytes } = capture.result();
    expect(totalBytes).toBe(all.length);
    expect(output.startsWith(all.slice(0, 32))).toBe(true);
    expect(output.endsWith(all.slice(-32))).toBe(true);
    expect(omittedBytes).toBe(all.length - 64);
  });

  it('drops a multi-byte character split by the cut instead of garbling it', () => {
    const capture = new OutputCapture(8);
    capture.write(bytes('aaa€€€€€€bbb')); // € is 3 bytes
    const { output, totalBytes, omittedBytes } = capture.result();
    expect(output).not.toContain('\uFFFD');
    expect(output).toBe(`aaa\n[... ${omittedBytes} bytes omitted ...]\nbbb`);
    expect(totalBytes).toBe(24);
    expect(omittedBytes).toBe(18);
  });

  it('holds nothing with a zero cap but still counts', () => {
    const capture = new OutputCapture(0);
    capture.write(bytes('hello'));
    expect(capture.result()).toEqual({ output: '\n[... 5 bytes omitted ...]\n', totalBytes: 5, omittedBytes: 5 });
  });
});

describe('decode', () => {
  it('replaces invalid UTF-8 and NUL bytes', () => {
    expect(decode(Buffer.from([0xff, 0xfe, 0x00, 0x61]))).toBe('\uFFFD\uFFFD\uFFFDa');
  });
});
