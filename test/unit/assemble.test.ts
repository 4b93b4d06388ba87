// Tool names in a stream: sent whole once (OpenAI), repeated in every chunk or grown as a snapshot
// (some providers), or split into pieces; each way assembles to the one name the model meant.
import { expect, it } from 'vitest';
import { TurnAssembler } from '../../src/model/assemble.js';

function nameFrom(pieces: Array<string | undefined>): string {
  const assembler = new TurnAssembler();
  pieces.forEach((name, i) => {
    const fn = { ...(name === undefined ? {} : { name }), arguments: i === 0 ? '{"a":' : i === pieces.length - 1 ? '1}' : '' };
    assembler.add({ choices: [{ delta: { tool_calls: [{ index: 0, ...(i === 0 ? { id: 'c1' } : {}), function: fn }] } }] });
  });
  assembler.add({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] });
  const [call] = assembler.turn().toolCalls;
  expect(call?.arguments).toBe('{"a":1}');
  return call!.name;
}

it('assembles a tool name sent once, repeated, grown or split', () => {
  expect(nameFrom(['shell', undefined, undefined])).toBe('shell');
  expect(nameFrom(['shell', 'shell', 'shell'])).toBe('shell');
  expect(nameFrom(['read', 'read_fi', 'read_file'])).toBe('read_file');
  expect(nameFrom(['read_', 'file', undefined])).toBe('read_file');
});
