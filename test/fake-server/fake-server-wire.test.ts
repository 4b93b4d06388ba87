// The fake model server on the wire: a step can cut the stream mid-way (for the retry tests), and a
// plain HTTP client sees the same SSE framing as from Ark, one data event per chunk, then [DONE].
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { serverWithClient, userOnly } from './sdk-helpers.js';

const start = serverWithClient();

describe('fake model server, the stream on the wire', () => {
  it('drops the connection mid-stream when a step asks for it', async () => {
    const { server, client } = await start({
      script: [{ toolCalls: [{ name: 'write_file', arguments: { path: 'a', content: 'x'.repeat(100) } }], disconnectAfterChunks: 3 }],
    });
    const received: ChatCompletionChunk[] = [];
    const error = await (async () => {
      const stream = await client.chat.completions.create({ model: 'doubao-seed-code', messages: userOnly, stream: true });
      for await (const chunk of stream) received.push(chunk);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(received.length).toBe(3);
    expect(received.some((c) => c.choices[0]?.finish_reason)).toBe(false);
    server.assertDone();
  });

  it('speaks plain SSE: one data event per chunk, then [DONE]', async () => {
    const { server } = await start({ script: [{ content: 'hello there, world' }] });
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'doubao-seed-code', messages: userOnly, stream: true }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text()).split('\n\n').filter((e) => e !== '');
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as ChatCompletionChunk);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.choices.length === 1)).toBe(true);
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    server.assertDone();
  });
});
