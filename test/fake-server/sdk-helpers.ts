// Small helpers for tests that drive the fake model server with the real `openai` SDK.

import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterEach } from 'vitest';
import { type FakeModelServer, type FakeServerOptions, startFakeModelServer } from './index.js';

/**
 * `const start = serverWithClient()` at file level, then `await start({ script })` in a test: a
 * server on the key `test-key` and an SDK client for it, closed after each test.
 */
export function serverWithClient(): (options: FakeServerOptions) => Promise<{ server: FakeModelServer; client: OpenAI }> {
  let current: FakeModelServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => {
    current = await startFakeModelServer({ apiKey: 'test-key', ...options });
    return { server: current, client: new OpenAI({ baseURL: current.url, apiKey: 'test-key', maxRetries: 0 }) };
  };
}

/** A system prompt and one user message. */
export const userOnly: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You are a coding agent.' },
  { role: 'user', content: 'List the files.' },
];

/** Streams one request with usage asked for and collects every chunk. */
export async function streamAll(client: OpenAI, messages: ChatCompletionMessageParam[]): Promise<ChatCompletionChunk[]> {
  const stream = await client.chat.completions.create({
    model: 'doubao-seed-code',
    messages,
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Reassembles streamed tool calls by index, the way a client must. */
export function assembleToolCalls(chunks: ChatCompletionChunk[]): Array<{ id: string; name: string; arguments: string; pieces: number }> {
  const calls: Array<{ id: string; name: string; arguments: string; pieces: number }> = [];
  for (const chunk of chunks) {
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: '', name: '', arguments: '', pieces: 0 });
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name = delta.function.name;
      if (delta.function?.arguments !== undefined && !delta.id) call.pieces++;
      call.arguments += delta.function?.arguments ?? '';
    }
  }
  return calls;
}
