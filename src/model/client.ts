// The model client: one streamed chat-completions request on the official `openai` SDK, yielding
// text and reasoning pieces as they arrive and returning the assembled turn.
import OpenAI from 'openai';
import { ApiError } from '../errors.js';
import { type ErrorContext, toApiError } from './api-errors.js';
import { type StreamChunk, TurnAssembler } from './assemble.js';
import type { AssistantTurn, ChatMessage, ToolSpec, TurnDelta } from './types.js';

/** One request to the model. */
export interface ModelRequest {
  messages: readonly ChatMessage[];
  tools: readonly ToolSpec[];
  maxTokens: number;
  signal?: AbortSignal;
}

/** Anything that can play assistant turns: the real client, or a scripted one in tests. */
export interface ModelClient {
  readonly model: string;
  streamTurn(request: ModelRequest): AsyncGenerator<TurnDelta, AssistantTurn>;
}

export interface OpenAIClientOptions {
  baseUrl: string;
  apiKey: string;
  /** The variable the key came from, for error messages; never the key itself. */
  keyEnvName: string;
  model: string;
  /** Milliseconds before a request without an answer is abandoned. */
  timeoutMs?: number;
  maxRetries?: number;
}

/** A ModelClient on the `openai` SDK, for any OpenAI-compatible endpoint. */
export function createOpenAIClient(options: OpenAIClientOptions): ModelClient {
  const sdk = new OpenAI({
    baseURL: options.baseUrl,
    apiKey: options.apiKey,
    timeout: options.timeoutMs ?? 10 * 60 * 1000,
    maxRetries: options.maxRetries ?? 2,
  });
  const errorContext: ErrorContext = { keyEnvName: options.keyEnvName, baseUrl: options.baseUrl, model: options.model };

  async function* streamTurn(request: ModelRequest): AsyncGenerator<TurnDelta, AssistantTurn> {
    const assembler = new TurnAssembler();
    try {
      const stream = await sdk.chat.completions.create(
        {
          model: options.model,
          messages: request.messages as OpenAI.Chat.ChatCompletionMessageParam[],
          ...(request.tools.length > 0
            ? { tools: request.tools as OpenAI.Chat.ChatCompletionTool[], tool_choice: 'auto' as const }
            : {}),
          max_tokens: request.maxTokens,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: request.signal },
      );
      for await (const chunk of stream) {
        const piece = assembler.add(chunk as StreamChunk);
        if (piece.reasoning) yield { kind: 'reasoning', text: piece.reasoning };
        if (piece.text) yield { kind: 'text', text: piece.text };
      }
    } catch (error) {
      throw toApiError(error, errorContext);
    }
    if (!assembler.complete) {
      throw new ApiError('the response stream ended before the turn was complete', undefined, 'stream_incomplete');
    }
    return assembler.turn();
  }

  return { model: options.model, streamTurn };
}
