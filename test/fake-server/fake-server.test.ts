// Runs the real `openai` SDK against the fake model server over loopback, to show the fake
// behaves like Ark where the runtime depends on it: split deltas, usage, caching, errors. The
// stream's framing and cuts on the wire are in fake-server-wire.test.ts.

import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  computeUsage,
  lastUserMessage,
  serialisePrompt,
  toolResults,
} from './index.js';
import { assembleToolCalls, serverWithClient, streamAll, userOnly } from './sdk-helpers.js';

const start = serverWithClient();

describe('fake model server, streaming through the openai SDK', () => {
  it('splits tool call arguments across chunks that reassemble into the scripted JSON', async () => {
    const args = { path: 'src/index.ts', old_text: 'const a = 1;', new_text: 'const a = 2;' };
    const { server, client } = await start({
      script: [{ toolCalls: [{ id: 'call_edit', name: 'edit_file', arguments: args }, { name: 'list_dir', arguments: '{}' }] }],
    });
    const chunks = await streamAll(client, userOnly);

    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const calls = assembleToolCalls(chunks);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ id: 'call_edit', name: 'edit_file' });
    expect(JSON.parse(calls[0]!.arguments)).toEqual(args);
    expect(calls[0]!.pieces).toBeGreaterThanOrEqual(3);
    expect(calls[1]).toMatchObject({ name: 'list_dir', arguments: '{}' });
    expect(calls[1]!.id).toMatch(/^call_/);
    expect(calls[1]!.pieces).toBeGreaterThanOrEqual(3);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(server.requests[0]).toMatchObject({ stepIndex: 0, status: 200 });
    server.assertDone();
  });

  it('streams reasoning_content and content as several deltas', async () => {
    const reasoning = 'The user wants a listing, so I will answer directly without tools.';
    const content = 'There are three files: a.ts, b.ts and c.ts.';
    const { server, client } = await start({ script: [{ reasoning, content }] });
    const chunks = await streamAll(client, userOnly);

    const deltas = chunks.map((c) => c.choices[0]?.delta as { reasoning_content?: string; content?: string | null } | undefined);
    const reasoningPieces = deltas.map((d) => d?.reasoning_content).filter((p): p is string => !!p);
    const contentPieces = deltas.map((d) => d?.content).filter((p): p is string => !!p);
    expect(reasoningPieces.length).toBeGreaterThanOrEqual(3);
    expect(reasoningPieces.join('')).toBe(reasoning);
    expect(contentPieces.length).toBeGreaterThanOrEqual(3);
    expect(contentPieces.join('')).toBe(content);
    // reasoning comes before the answer
    const firstContent = deltas.findIndex((d) => !!d?.content);
    const lastReasoning = deltas.length - 1 - [...deltas].reverse().findIndex((d) => !!d?.reasoning_content);
    expect(lastReasoning).toBeLessThan(firstContent);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop');
    server.assertDone();
  });

  it('sends usage in a last chunk, with cached tokens only when an earlier prompt shares the prefix', async () => {
    const { server, client } = await start({
      script: [
        { reasoning: 'Look first.', toolCalls: [{ id: 'call_1', name: 'list_dir', arguments: { path: '.' } }] },
        (req) => ({ content: `Found: ${toolResults(req)[0]?.content}` }),
      ],
    });
    const first = await streamAll(client, userOnly);
    const firstUsage = first.at(-1)!;
    expect(firstUsage.choices).toEqual([]);
    expect(firstUsage.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(firstUsage.usage?.completion_tokens_details?.reasoning_tokens).toBe(3); // 11 bytes
    expect(firstUsage.usage).toEqual(server.requests[0]!.usage);

    const second = await streamAll(client, [
      ...userOnly,
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_dir', arguments: '{"path":"."}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'a.ts\nb.ts' },
    ]);
    const usage = second.at(-1)!.usage!;
    expect(usage.prompt_tokens_details?.cached_tokens).toBeGreaterThan(0);
    expect(usage.prompt_tokens_details!.cached_tokens!).toBeLessThan(usage.prompt_tokens);
    const [req1, req2] = server.requests;
    const expected = computeUsage(serialisePrompt(req2!.body), [req1!.prompt], {
      reasoning: '',
      content: 'Found: a.ts\nb.ts',
      toolCalls: [],
    });
    expect(usage).toEqual(expected);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    server.assertDone();
  });

  it('answers non-streaming requests with a chat.completion carrying the same content', async () => {
    const { server, client } = await start({
      script: [{ reasoning: 'Think.', content: 'Done.', usage: { prompt_tokens: 1000, cached_tokens: 900 } }],
    });
    const completion = await client.chat.completions.create({ model: 'doubao-seed-code', messages: userOnly });
    expect(completion.object).toBe('chat.completion');
    const message = completion.choices[0]!.message as typeof completion.choices[0]['message'] & { reasoning_content?: string };
    expect(message).toMatchObject({ role: 'assistant', content: 'Done.', reasoning_content: 'Think.' });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 1000, prompt_tokens_details: { cached_tokens: 900 } });
    expect(lastUserMessage(server.requests[0]!)).toBe('List the files.');
    server.assertDone();
  });
});

describe('fake model server, request checks', () => {
  it('rejects an unanswered tool_call_id with a 400 BadRequestError and keeps the step', async () => {
    const { server, client } = await start({ script: [{ content: 'unused' }] });
    const error = await client.chat.completions
      .create({
        model: 'doubao-seed-code',
        messages: [
          ...userOnly,
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'a', arguments: '{}' } }] },
          { role: 'user', content: 'go on' },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.status).toBe(400);
    expect(bad.code).toBe('InvalidParameter');
    expect(bad.param).toBe('messages');
    expect(bad.message).toMatch(/tool_call_id call_x .*not answered/);
    expect(server.requests[0]).toMatchObject({ status: 400, stepIndex: undefined, usage: undefined });
    expect(() => server.assertDone()).toThrow(/script step 0 was never used/);
  });

  it('rejects a tool message that answers no earlier call, and both max_tokens fields', async () => {
    const { client } = await start({});
    const orphan = await client.chat.completions
      .create({ model: 'doubao-seed-code', messages: [...userOnly, { role: 'tool', tool_call_id: 'call_ghost', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(orphan).toBeInstanceOf(OpenAI.BadRequestError);
    expect((orphan as Error).message).toMatch(/call_ghost.*matches no earlier tool call/);

    const both = await client.chat.completions
      .create({ model: 'doubao-seed-code', messages: userOnly, max_tokens: 100, max_completion_tokens: 100 })
      .catch((e: unknown) => e);
    expect(both).toBeInstanceOf(OpenAI.BadRequestError);
    expect((both as Error).message).toMatch(/max_tokens.*max_completion_tokens/);
  });

  it('rejects an assistant message with content null and no tool calls, as the real API does', async () => {
    const { server, client } = await start({ script: [{ content: 'unused' }] });
    const send = (assistant: object) =>
      client.chat.completions
        .create({ model: 'doubao-seed-code', messages: [...userOnly, assistant, { role: 'user', content: 'go on' }] as never })
        .catch((e: unknown) => e);
    const nullContent = await send({ role: 'assistant', content: null });
    expect(nullContent).toBeInstanceOf(OpenAI.BadRequestError);
    expect((nullContent as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages[2].content');
    expect((nullContent as Error).message).toMatch(/content null but no tool_calls/);
    const emptyCalls = await send({ role: 'assistant', content: null, tool_calls: [] });
    expect((emptyCalls as Error).message).toMatch(/tool_calls is an empty list/);
    expect(server.requests.map((r) => r.status)).toEqual([400, 400]);
  });

  it('answers a wrong key with 401 AuthenticationError', async () => {
    const { server } = await start({ script: [{ content: 'unused' }] });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'wrong-key', maxRetries: 0 });
    const error = await client.chat.completions.create({ model: 'doubao-seed-code', messages: userOnly }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('AuthenticationError');
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).type).toBe('unauthorized');
    expect(server.requests[0]?.status).toBe(401);
  });

  it('lists models, and answers unknown paths with a 404 that assertDone reports', async () => {
    const { server, client } = await start({});
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('doubao-seed-code');
    const response = await fetch(`${server.url}/embeddings`, { method: 'POST', headers: { authorization: 'Bearer test-key' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NotFound' } });
    expect(() => server.assertDone()).toThrow(/no such endpoint/);
  });
});

describe('fake model server, script control', () => {
  it('reports script exhaustion in assertDone and answers 500', async () => {
    const { server, client } = await start({ script: [{ content: 'only answer' }] });
    await client.chat.completions.create({ model: 'doubao-seed-code', messages: userOnly });
    server.assertDone();
    const error = await client.chat.completions.create({ model: 'doubao-seed-code', messages: userOnly }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as Error).message).toMatch(/script steps were used/);
    expect(server.unexpected).toHaveLength(1);
    expect(() => server.assertDone()).toThrow(/chat request #2 arrived after all 1 script steps were used/);
  });

  it('passes a 429 error step with its retry-after header to the client', async () => {
    const { server, client } = await start({
      script: [{ error: { status: 429, headers: { 'retry-after': '7' } } }, { content: 'after the wait' }],
    });
    const error = await client.chat.completions.create({ model: 'doubao-seed-code', messages: userOnly }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const limited = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.code).toMatch(/^RateLimitExceeded/);
    expect(limited.requestID).toBe('fake-1');
    const retried = await client.chat.completions.create({ model: 'doubao-seed-code', messages: userOnly });
    expect(retried.choices[0]?.message.content).toBe('after the wait');
    expect(server.requests.map((r) => r.usage === undefined)).toEqual([true, false]);
    server.assertDone();
  });

  it('lets a step function read the tool results the model was sent', async () => {
    const seen: unknown[] = [];
    const { server, client } = await start({
      script: [
        { toolCalls: [{ id: 'c1', name: 'read', arguments: { p: 'a' } }, { id: 'c2', name: 'read', arguments: { p: 'b' } }] },
        (req) => {
          seen.push(toolResults(req));
          return { content: 'ok' };
        },
      ],
    });
    await client.chat.completions.create({ model: 'doubao-seed-code', messages: userOnly });
    await client.chat.completions.create({
      model: 'doubao-seed-code',
      messages: [
        ...userOnly,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'read', arguments: '{"p":"a"}' } },
            { id: 'c2', type: 'function', function: { name: 'read', arguments: '{"p":"b"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'A' },
        { role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: 'B' }] },
      ],
    });
    expect(seen).toEqual([[{ tool_call_id: 'c1', content: 'A' }, { tool_call_id: 'c2', content: 'B' }]]);
    server.assertDone();
  });

  it('replays the last step with repeatLast, giving each request fresh tool call ids', async () => {
    const { server, client } = await start({
      repeatLast: true,
      script: [{ toolCalls: [{ id: 'call_loop', name: 'bash', arguments: { cmd: 'ls' } }, { name: 'bash', arguments: {} }] }],
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const chunks = await streamAll(client, userOnly);
      ids.push(...assembleToolCalls(chunks).map((c) => c.id));
    }
    expect(new Set(ids).size).toBe(6);
    expect(ids[0]).toBe('call_loop');
    expect(server.requests.map((r) => r.stepIndex)).toEqual([0, 0, 0]);
    server.assertDone();
  });
});
