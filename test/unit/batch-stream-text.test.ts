// A child's output read in pieces that end inside characters still decodes to the text it wrote:
// lines for its events, and the tail of its stderr that a crash report quotes.
import { expect, it } from 'vitest';
import { LineSplitter, TextTail } from '../../src/batch/stream-text.js';

/** `text` as UTF-8, cut into pieces of `size` bytes (so three-byte characters straddle cuts). */
function pieces(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

it('lines split across reads inside a character come out whole', () => {
  const text = '{"final_message":"修复了错误"}\n{"type":"result","text":"完成 🎉"}\n';
  const splitter = new LineSplitter();
  const lines = pieces(text, 4).flatMap((chunk) => splitter.push(chunk));
  expect(lines).toEqual(['{"final_message":"修复了错误"}', '{"type":"result","text":"完成 🎉"}']);
});

it('a stderr tail cut inside a character or a surrogate pair keeps only whole characters', () => {
  const tail = new TextTail(5);
  for (const chunk of pieces('错误: 🎉🎉 失败', 2)) tail.push(chunk);
  expect(tail.text).toBe('🎉 失败');
  const short = new TextTail(5);
  for (const chunk of pieces('x🎉🎉🎉', 3)) short.push(chunk);
  expect(short.text.includes('\uFFFD')).toBe(false);
  expect(short.text).toBe('🎉🎉');
});
